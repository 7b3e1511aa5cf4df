#include "plugins/oauth2/discovery/pkce.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::oauth2 {
namespace {

absl::StatusOr<std::string> RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()),
                 static_cast<int>(count)) != 1) {
    return absl::InternalError("the random number generator failed");
  }
  return bytes;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  return absl::WebSafeBase64Escape(
      absl::string_view(bytes.data(), bytes.size()));
}

absl::StatusOr<std::string> NewCodeVerifier(size_t length) {
  if (length < kMinCodeVerifierLength || length > kMaxCodeVerifierLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a PKCE code_verifier has 43 to 128 characters, not ", length));
  }
  // 3 bytes give 4 characters; draw enough, then cut to the length.
  absl::StatusOr<std::string> bytes = RandomBytes((length * 3 + 3) / 4);
  if (!bytes.ok()) return bytes.status();
  std::string verifier = Base64UrlEncode(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  verifier.resize(length);
  return verifier;
}

std::string S256Challenge(std::string_view verifier) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest, &digest_length,
                 EVP_sha256(), nullptr) != 1) {
    return "";
  }
  return Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(digest), digest_length));
}

absl::StatusOr<std::string> NewState() {
  absl::StatusOr<std::string> bytes = RandomBytes(32);
  if (!bytes.ok()) return bytes.status();
  return Base64UrlEncode(*bytes);
}

}  // namespace mcpcred::oauth2

#include "agent/store/aes_gcm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstring>
#include <memory>

#include "absl/status/status.h"

namespace mcpcred {
namespace {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

template <typename Text>
unsigned char* MutableBytes(Text& text, size_t offset = 0) {
  return reinterpret_cast<unsigned char*>(text.data()) + offset;
}

// EVP takes int lengths; records are far smaller, but never wrap silently.
bool FitsInt(size_t n) { return n <= static_cast<size_t>(INT_MAX); }

}  // namespace

absl::StatusOr<std::string> SealAesGcm(absl::string_view key,
                                       absl::string_view plaintext,
                                       absl::string_view aad) {
  if (key.size() != kAesGcmKeyBytes) {
    return absl::InvalidArgumentError("AES-256-GCM needs a 32-byte key");
  }
  if (!FitsInt(plaintext.size()) || !FitsInt(aad.size())) {
    return absl::InvalidArgumentError("record too large to seal");
  }
  std::string sealed(kAesGcmNonceBytes + plaintext.size() + kAesGcmTagBytes,
                     '\0');
  if (RAND_bytes(MutableBytes(sealed), kAesGcmNonceBytes) != 1) {
    return absl::InternalError("no randomness for an AES-GCM nonce");
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok =
      ctx != nullptr &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr,
                         nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kAesGcmNonceBytes,
                          nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key),
                         MutableBytes(sealed)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                        static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), MutableBytes(sealed, kAesGcmNonceBytes),
                        &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(),
                          MutableBytes(sealed, kAesGcmNonceBytes + len),
                          &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(
          ctx.get(), EVP_CTRL_GCM_GET_TAG, kAesGcmTagBytes,
          MutableBytes(sealed, kAesGcmNonceBytes + plaintext.size())) == 1;
  if (!ok) return absl::InternalError("AES-GCM encryption failed");
  return sealed;
}

absl::StatusOr<SecretString> OpenAesGcm(absl::string_view key,
                                        absl::string_view sealed,
                                        absl::string_view aad) {
  if (key.size() != kAesGcmKeyBytes) {
    return absl::InvalidArgumentError("AES-256-GCM needs a 32-byte key");
  }
  if (sealed.size() < kAesGcmOverhead || !FitsInt(sealed.size()) ||
      !FitsInt(aad.size())) {
    return absl::DataLossError("sealed record has a bad size");
  }
  const size_t text_size = sealed.size() - kAesGcmOverhead;
  absl::string_view nonce = sealed.substr(0, kAesGcmNonceBytes);
  absl::string_view ciphertext = sealed.substr(kAesGcmNonceBytes, text_size);
  // EVP wants a mutable tag buffer.
  unsigned char tag[kAesGcmTagBytes];
  std::memcpy(tag, sealed.data() + kAesGcmNonceBytes + text_size,
              kAesGcmTagBytes);
  SecretString plaintext;
  plaintext.resize(text_size);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok =
      ctx != nullptr &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr,
                         nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kAesGcmNonceBytes,
                          nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key),
                         Bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                        static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), MutableBytes(plaintext), &len,
                        Bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAesGcmTagBytes,
                          tag) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), MutableBytes(plaintext, len), &len) == 1;
  if (!ok) {
    // Unauthenticated output must not linger in memory either: `plaintext`
    // wipes itself.
    return absl::DataLossError(
        "authentication failed: the data was altered or the key is wrong");
  }
  return plaintext;
}

}  // namespace mcpcred

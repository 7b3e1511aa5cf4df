#include "agent/policy/passphrase_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace mcpcred {
namespace {

constexpr uint64_t kScryptN = uint64_t{1} << 15;
constexpr uint64_t kScryptR = 8;
constexpr uint64_t kScryptP = 1;
// 128 * N * r bytes, and some room.
constexpr uint64_t kScryptMaxMem = uint64_t{64} << 20;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

absl::StatusOr<std::string> Scrypt(absl::string_view passphrase,
                                   const std::string& salt) {
  std::string out(kHashBytes, '\0');
  if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()),
                     salt.size(), kScryptN, kScryptR, kScryptP, kScryptMaxMem,
                     reinterpret_cast<unsigned char*>(out.data()),
                     out.size()) != 1) {
    return absl::InternalError("cannot hash the passphrase (scrypt failed)");
  }
  return out;
}

}  // namespace

absl::StatusOr<PassphraseHash> PassphraseHash::Create(
    absl::string_view passphrase) {
  if (passphrase.empty()) {
    return absl::InvalidArgumentError("the passphrase is empty");
  }
  if (passphrase.size() > kMaxPassphraseBytes) {
    return absl::InvalidArgumentError("the passphrase is longer than 1 KiB");
  }
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()),
                 static_cast<int>(salt.size())) != 1) {
    return absl::InternalError("cannot make a salt (no randomness)");
  }
  absl::StatusOr<std::string> hash = Scrypt(passphrase, salt);
  if (!hash.ok()) return hash.status();
  return PassphraseHash(std::move(salt), *std::move(hash));
}

bool PassphraseHash::Matches(absl::string_view passphrase) const {
  if (passphrase.empty() || passphrase.size() > kMaxPassphraseBytes) {
    return false;
  }
  absl::StatusOr<std::string> hash = Scrypt(passphrase, salt_);
  return hash.ok() && hash->size() == hash_.size() &&
         CRYPTO_memcmp(hash->data(), hash_.data(), hash_.size()) == 0;
}

}  // namespace mcpcred

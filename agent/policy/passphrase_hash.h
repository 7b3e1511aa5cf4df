// The lock passphrase of `mcpcred lock`, kept only as a salted scrypt hash
// (like ssh-agent -x keeps a hash of its lock password): enough to check
// the passphrase given to unlock, useless to recover it.
#ifndef MCPCRED_AGENT_POLICY_PASSPHRASE_HASH_H_
#define MCPCRED_AGENT_POLICY_PASSPHRASE_HASH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcred {

// The most a lock passphrase may be.
inline constexpr size_t kMaxPassphraseBytes = 1024;

// Thread-compatible; immutable once made.
class PassphraseHash {
 public:
  // Hashes `passphrase` with a fresh random salt (scrypt, N=2^15, r=8, p=1:
  // 32 MiB and tens of milliseconds per try). INVALID_ARGUMENT for an empty
  // or oversized passphrase; INTERNAL if OpenSSL fails.
  static absl::StatusOr<PassphraseHash> Create(absl::string_view passphrase);

  // True if `passphrase` is the one hashed; compared in constant time.
  bool Matches(absl::string_view passphrase) const;

 private:
  PassphraseHash(std::string salt, std::string hash)
      : salt_(std::move(salt)), hash_(std::move(hash)) {}

  std::string salt_;
  std::string hash_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_PASSPHRASE_HASH_H_

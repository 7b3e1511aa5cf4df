// Where long-lived secrets live: user-added API keys, OAuth refresh tokens,
// registered OAuth clients. Backends: memory, the Secret Service (libsecret)
// and an encrypted file; store_factory.h picks one from the config.
#ifndef MCPCRED_AGENT_STORE_SECRET_STORE_H_
#define MCPCRED_AGENT_STORE_SECRET_STORE_H_

#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {

// An entry is named by the credential it belongs to, what kind of entry it is
// ("secret", "refresh_token", "client", ...), and the server it belongs to
// (origin or issuer, "" for none), so re-pointing a credential at another
// server never hands it the old server's tokens.
struct StoreKey {
  std::string credential;
  std::string kind;
  std::string scope;

  friend bool operator<(const StoreKey& a, const StoreKey& b) {
    return std::tie(a.credential, a.kind, a.scope) <
           std::tie(b.credential, b.kind, b.scope);
  }
  friend bool operator==(const StoreKey& a, const StoreKey& b) {
    return std::tie(a.credential, a.kind, a.scope) ==
           std::tie(b.credential, b.kind, b.scope);
  }
};

// Thread-safe: implementations synchronise internally.
class SecretStore {
 public:
  virtual ~SecretStore() = default;

  // A short name for messages and `mcpcred list`: "memory", "file", ...
  virtual std::string name() const = 0;
  // Where the entries live, for `mcpcred status`: a file path, a keyring
  // collection; "" when there is nothing to show.
  virtual std::string location() const { return ""; }
  // Returns NOT_FOUND if there is no such entry.
  virtual absl::StatusOr<SecretString> Get(const StoreKey& key) = 0;
  // Replaces any existing entry; durable when this returns OK.
  virtual absl::Status Put(const StoreKey& key, const SecretString& value) = 0;
  // Deleting an absent entry is OK.
  virtual absl::Status Delete(const StoreKey& key) = 0;
  // The keys of every entry, never the values.
  virtual absl::StatusOr<std::vector<StoreKey>> List() = 0;
  // Wipes any key or decrypted value the store holds in memory (the agent
  // is being locked); the next call reads them again from their source.
  // Backends that hold none do nothing.
  virtual void ForgetKeys() {}
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_SECRET_STORE_H_

// A SecretStore whose backend is chosen later: the agent reads its config,
// and may fork, before it can probe the session bus (which starts threads
// that a fork would lose). Open() picks the backend; a call that comes
// earlier opens it on the spot.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_STORE_DEFERRED_STORE_H_
#define MCPCRED_AGENT_STORE_DEFERRED_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/store/secret_store.h"

namespace mcpcred {

class DeferredStore final : public SecretStore {
 public:
  using Opener = std::function<std::unique_ptr<SecretStore>()>;
  // `pending_name` is what name() says until the backend is open (the
  // configured backend, e.g. "auto").
  DeferredStore(std::string pending_name, Opener opener);

  // Opens the backend now if not yet open. Idempotent.
  void Open();

  std::string name() const override;
  std::string location() const override;
  absl::StatusOr<SecretString> Get(const StoreKey& key) override;
  absl::Status Put(const StoreKey& key, const SecretString& value) override;
  absl::Status Delete(const StoreKey& key) override;
  absl::StatusOr<std::vector<StoreKey>> List() override;
  void ForgetKeys() override;

 private:
  SecretStore* Backend();

  const std::string pending_name_;
  mutable absl::Mutex mu_;
  Opener opener_ ABSL_GUARDED_BY(mu_);
  // Set once, never replaced: a pointer taken under mu_ stays valid.
  std::unique_ptr<SecretStore> backend_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_DEFERRED_STORE_H_

// A SecretStore in process memory: for tests and ephemeral use. Nothing
// survives a restart.
#ifndef MCPCRED_AGENT_STORE_MEMORY_STORE_H_
#define MCPCRED_AGENT_STORE_MEMORY_STORE_H_

#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/store/secret_store.h"

namespace mcpcred {

// Thread-safe.
class MemoryStore final : public SecretStore {
 public:
  std::string name() const override { return "memory"; }
  absl::StatusOr<SecretString> Get(const StoreKey& key) override;
  absl::Status Put(const StoreKey& key, const SecretString& value) override;
  absl::Status Delete(const StoreKey& key) override;
  absl::StatusOr<std::vector<StoreKey>> List() override;

 private:
  absl::Mutex mu_;
  std::map<StoreKey, SecretString> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_MEMORY_STORE_H_

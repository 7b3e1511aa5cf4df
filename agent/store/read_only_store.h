// A read-only view of another SecretStore: reads pass through, writes are
// refused. For `mcpcred-agent --check`, which creates every provider instance
// as the agent would (a provider may read a keyring: reference then) but must
// leave the store as it found it.
#ifndef MCPCRED_AGENT_STORE_READ_ONLY_STORE_H_
#define MCPCRED_AGENT_STORE_READ_ONLY_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "agent/store/secret_store.h"

namespace mcpcred {

// Thread-safe if the wrapped store is.
class ReadOnlyStore final : public SecretStore {
 public:
  explicit ReadOnlyStore(std::unique_ptr<SecretStore> store)
      : store_(std::move(store)) {}

  std::string name() const override { return store_->name(); }
  std::string location() const override { return store_->location(); }
  absl::StatusOr<SecretString> Get(const StoreKey& key) override {
    return store_->Get(key);
  }
  absl::StatusOr<std::vector<StoreKey>> List() override {
    return store_->List();
  }
  // FAILED_PRECONDITION, and the wrapped store is not called.
  absl::Status Put(const StoreKey& key, const SecretString& value) override;
  absl::Status Delete(const StoreKey& key) override;

 private:
  std::unique_ptr<SecretStore> store_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_READ_ONLY_STORE_H_

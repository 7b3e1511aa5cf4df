#include "agent/store/memory_store.h"

namespace mcpcred {

absl::StatusOr<SecretString> MemoryStore::Get(const StoreKey& key) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return absl::NotFoundError("no " + key.kind + " stored for credential \"" +
                               key.credential + "\"");
  }
  return it->second;
}

absl::Status MemoryStore::Put(const StoreKey& key, const SecretString& value) {
  absl::MutexLock lock(&mu_);
  entries_[key] = value;
  return absl::OkStatus();
}

absl::Status MemoryStore::Delete(const StoreKey& key) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) entries_.erase(it);  // the value wipes itself
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoreKey>> MemoryStore::List() {
  absl::MutexLock lock(&mu_);
  std::vector<StoreKey> keys;
  keys.reserve(entries_.size());
  for (const auto& [key, value] : entries_) keys.push_back(key);
  return keys;
}

}  // namespace mcpcred

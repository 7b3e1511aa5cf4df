#include "agent/store/memory_store.h"

#include <openssl/crypto.h>

namespace mcpcred {

absl::StatusOr<std::string> MemoryStore::Get(const StoreKey& key) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return absl::NotFoundError("no " + key.kind + " stored for credential \"" +
                               key.credential + "\"");
  }
  return it->second;
}

absl::Status MemoryStore::Put(const StoreKey& key, const std::string& value) {
  absl::MutexLock lock(&mu_);
  std::string& slot = entries_[key];
  OPENSSL_cleanse(slot.data(), slot.size());
  slot = value;
  return absl::OkStatus();
}

absl::Status MemoryStore::Delete(const StoreKey& key) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    OPENSSL_cleanse(it->second.data(), it->second.size());
    entries_.erase(it);
  }
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

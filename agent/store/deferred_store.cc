#include "agent/store/deferred_store.h"

#include <utility>

namespace mcpcred {

DeferredStore::DeferredStore(std::string pending_name, Opener opener)
    : pending_name_(std::move(pending_name)), opener_(std::move(opener)) {}

void DeferredStore::Open() { Backend(); }

SecretStore* DeferredStore::Backend() {
  absl::MutexLock lock(&mu_);
  if (backend_ == nullptr) backend_ = std::exchange(opener_, nullptr)();
  return backend_.get();
}

std::string DeferredStore::name() const {
  absl::MutexLock lock(&mu_);
  return backend_ != nullptr ? backend_->name() : pending_name_;
}

std::string DeferredStore::location() const {
  absl::MutexLock lock(&mu_);
  return backend_ != nullptr ? backend_->location() : "";
}

absl::StatusOr<SecretString> DeferredStore::Get(const StoreKey& key) {
  return Backend()->Get(key);
}

absl::Status DeferredStore::Put(const StoreKey& key,
                                const SecretString& value) {
  return Backend()->Put(key, value);
}

absl::Status DeferredStore::Delete(const StoreKey& key) {
  return Backend()->Delete(key);
}

absl::StatusOr<std::vector<StoreKey>> DeferredStore::List() {
  return Backend()->List();
}

void DeferredStore::ForgetKeys() {
  // A backend not opened yet holds nothing.
  absl::MutexLock lock(&mu_);
  if (backend_ != nullptr) backend_->ForgetKeys();
}

}  // namespace mcpcred

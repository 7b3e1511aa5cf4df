#include "agent/store/read_only_store.h"

#include "absl/strings/str_cat.h"

namespace mcpcred {
namespace {

absl::Status Refused(const StoreKey& key) {
  return absl::FailedPreconditionError(
      absl::StrCat("the ", key.kind, " entry of credential \"", key.credential,
                   "\" is not written: the store is read-only here"));
}

}  // namespace

absl::Status ReadOnlyStore::Put(const StoreKey& key, const SecretString&) {
  return Refused(key);
}

absl::Status ReadOnlyStore::Delete(const StoreKey& key) { return Refused(key); }

}  // namespace mcpcred

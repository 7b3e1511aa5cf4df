#include "agent/store/store_factory.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/store/file_store.h"
#include "agent/store/memory_store.h"
#include "agent/store/secret_service_store.h"
#include "agent/util/log.h"

namespace mcpcred {
namespace {

constexpr char kNoStateDir[] =
    "the file store has no state directory: set XDG_STATE_HOME or HOME";

// The file backend when there is no state directory: every call says why.
class NoStateDirStore final : public SecretStore {
 public:
  std::string name() const override { return "file"; }
  absl::StatusOr<SecretString> Get(const StoreKey&) override { return Error(); }
  absl::Status Put(const StoreKey&, const SecretString&) override {
    return Error();
  }
  absl::Status Delete(const StoreKey&) override { return Error(); }
  absl::StatusOr<std::vector<StoreKey>> List() override { return Error(); }

 private:
  static absl::Status Error() {
    return absl::FailedPreconditionError(kNoStateDir);
  }
};

std::unique_ptr<SecretStore> OpenFileStore(const StoreOptions& options,
                                           const std::string& why) {
  if (options.state_dir.empty()) {
    LogError("secret store: file", why, ", but ", kNoStateDir);
    return std::make_unique<NoStateDirStore>();
  }
  FileStoreOptions file;
  file.path = FileStorePath(options.state_dir);
  file.key.credentials_dir = options.credentials_dir;
  auto store = std::make_unique<FileStore>(std::move(file));
  LogInfo("secret store: file ", store->location(), why);
  // A damaged file is reported now rather than at the first request.
  absl::Status check = store->Check();
  if (!check.ok()) LogError(check.message());
  return store;
}

}  // namespace

std::string FileStorePath(const std::string& state_dir) {
  return state_dir + "/secrets.db";
}

absl::StatusOr<std::unique_ptr<SecretStore>> OpenSecretStore(
    const StoreOptions& options) {
  if (options.backend == "memory") {
    LogInfo("secret store: memory (nothing survives a restart)");
    return std::make_unique<MemoryStore>();
  }
  if (options.backend == "file") return OpenFileStore(options, "");
  if (options.backend == "secret-service") {
    LogInfo("secret store: secret-service");
    // Not probed: a keyring that starts after the agent is still used.
    return std::make_unique<SecretServiceStore>(options.call_timeout);
  }
  if (options.backend != "auto") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown [store] backend \"", options.backend,
                     "\": use auto, secret-service, file or memory"));
  }
  absl::Status probe = SecretServiceStore::Probe(options.probe_timeout);
  if (probe.ok()) {
    LogInfo(
        "secret store: secret-service (backend auto: a Secret Service "
        "answers on the session bus)");
    return std::make_unique<SecretServiceStore>(options.call_timeout);
  }
  return OpenFileStore(options,
                       absl::StrCat(" (backend auto: ", probe.message(), ")"));
}

}  // namespace mcpcred

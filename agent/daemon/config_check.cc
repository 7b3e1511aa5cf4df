#include "agent/daemon/config_check.h"

#include <stdlib.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/broker/slot_factory.h"
#include "agent/http/http_module.h"
#include "agent/plugin/plugin_registry.h"
#include "agent/policy/notifier_module.h"
#include "agent/store/deferred_store.h"
#include "agent/store/memory_store.h"
#include "agent/store/read_only_store.h"
#include "agent/store/secret_service_module.h"
#include "agent/store/store_factory.h"
#include "agent/util/internal_module.h"

namespace mcpcred {
namespace {

// The store the agent would open for `backend`, read-only; a memory store
// (holding nothing) if it cannot be opened at all.
std::unique_ptr<SecretStore> OpenReadOnly(const std::string& backend,
                                          const std::string& state_dir) {
  StoreOptions options;
  options.backend = backend;
  options.state_dir = state_dir;
  if (const char* dir = getenv("CREDENTIALS_DIRECTORY")) {
    options.credentials_dir = dir;
  }
  absl::StatusOr<std::unique_ptr<SecretStore>> store = OpenSecretStore(options);
  if (!store.ok()) return std::make_unique<MemoryStore>();
  return std::make_unique<ReadOnlyStore>(*std::move(store));
}

// A broken installation (a module missing, or from another build) is found
// now rather than at the first request that needs the module.
void CheckInternalModules(std::vector<std::string>* problems) {
  for (const absl::Status& loaded :
       {LoadInternalModule<HttpModule>().status(),
        LoadInternalModule<SecretServiceModule>().status(),
        LoadInternalModule<NotifierModule>().status()}) {
    if (!loaded.ok()) problems->push_back(std::string(loaded.message()));
  }
}

}  // namespace

ConfigCheck CheckConfig(const AgentSettings& settings) {
  ConfigCheck check;
  std::unique_ptr<PluginRegistry> plugins =
      PluginRegistry::LoadFromDirs(settings.plugin_dirs, &check.problems);
  if (plugins->plugins().empty()) {
    check.problems.push_back(absl::StrCat(
        "no provider plugins found in ",
        absl::StrJoin(settings.plugin_dirs, ":"), ": set MCPCRED_PLUGIN_PATH"));
  }
  CheckInternalModules(&check.problems);
  absl::StatusOr<config::AgentConfig> config = config::LoadConfigFile(
      settings.config_path, plugins->schemas(), plugins->names());
  if (!config.ok()) {
    check.problems.push_back(std::string(config.status().message()));
    return check;
  }
  check.credentials = static_cast<int>(config->credentials.size());
  const std::string backend = config->store_backend;
  DeferredStore store(backend, [&backend, &settings] {
    return OpenReadOnly(backend, settings.state_dir);
  });
  // The slots (and their provider instances) go when this returns; a slot
  // only fetches once a broker serves it.
  BuildSlots(*config, *plugins, &store, SystemClock::Get(), &check.problems);
  return check;
}

}  // namespace mcpcred

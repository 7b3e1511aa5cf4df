// The provider plugins the agent has loaded, by provider name. Plugins are
// loaded only from an allow-list of directories (as ssh-agent -P does).
#ifndef MCPCRED_AGENT_PLUGIN_PLUGIN_REGISTRY_H_
#define MCPCRED_AGENT_PLUGIN_PLUGIN_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/config/config.h"
#include "agent/plugin/plugin_library.h"

namespace mcpcred {

// Thread-safe: immutable after LoadFromDirs().
class PluginRegistry {
 public:
  // Loads every "*.so" in each directory, in order; a provider name already
  // loaded from an earlier directory is skipped. A plugin that fails to load is
  // described in *errors (one line each) and skipped. Missing directories are
  // ignored. A directory that it or one of its parents lets another user
  // write (CheckTrustedDir) is refused as a whole, with one line in *errors.
  static std::unique_ptr<PluginRegistry> LoadFromDirs(
      const std::vector<std::string>& dirs, std::vector<std::string>* errors);

  // The default allow-list: <exe dir>/../lib/mcpcred/plugins, then each entry
  // of $MCPCRED_PLUGIN_PATH (colon-separated).
  static std::vector<std::string> DefaultDirs();

  // Returns nullptr if no plugin provides `provider`.
  std::shared_ptr<const PluginLibrary> Find(const std::string& provider) const;
  // For the config loader.
  config::SchemaLookup schemas() const;
  std::vector<std::string> names() const;
  const std::map<std::string, std::shared_ptr<const PluginLibrary>>& plugins()
      const {
    return plugins_;
  }

 private:
  std::map<std::string, std::shared_ptr<const PluginLibrary>> plugins_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_PLUGIN_PLUGIN_REGISTRY_H_

#include "agent/plugin/plugin_registry.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/util/fs.h"

namespace mcpcred {

std::unique_ptr<PluginRegistry> PluginRegistry::LoadFromDirs(
    const std::vector<std::string>& dirs, std::vector<std::string>* errors) {
  auto registry = std::make_unique<PluginRegistry>();
  for (const std::string& dir : dirs) {
    // A directory another user can write (or rename) would let them choose
    // the code the agent runs. Checked once here: with the directory and its
    // parents trusted, nobody else can change what the paths below name.
    absl::Status trusted = CheckTrustedDir(dir, "plugin directory");
    if (absl::IsNotFound(trusted)) continue;
    if (!trusted.ok()) {
      errors->push_back(
          absl::StrCat(trusted.message(), " (no plugin loaded from it)"));
      continue;
    }
    std::error_code ec;
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      std::string path = entry.path().string();
      if (absl::EndsWith(path, ".so")) files.push_back(path);
    }
    std::sort(files.begin(), files.end());  // deterministic load order
    for (const std::string& path : files) {
      absl::StatusOr<std::unique_ptr<PluginLibrary>> lib =
          PluginLibrary::Load(path);
      if (!lib.ok()) {
        errors->push_back(std::string(lib.status().message()));
        continue;
      }
      std::string name = (*lib)->name();
      registry->plugins_.emplace(name, std::move(*lib));  // first one wins
    }
  }
  return registry;
}

std::vector<std::string> PluginRegistry::DefaultDirs() {
  std::vector<std::string> dirs;
  std::string own = PathFromExecutable(MCPCRED_PLUGIN_RELDIR);
  if (!own.empty()) dirs.push_back(std::move(own));
  if (const char* extra = std::getenv("MCPCRED_PLUGIN_PATH")) {
    for (absl::string_view dir :
         absl::StrSplit(extra, ':', absl::SkipEmpty())) {
      dirs.emplace_back(dir);
    }
  }
  return dirs;
}

std::shared_ptr<const PluginLibrary> PluginRegistry::Find(
    const std::string& provider) const {
  auto it = plugins_.find(provider);
  return it == plugins_.end() ? nullptr : it->second;
}

config::SchemaLookup PluginRegistry::schemas() const {
  return [this](const std::string& provider) -> const config::ProviderSchema* {
    auto lib = Find(provider);
    return lib == nullptr ? nullptr : &lib->schema();
  };
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& [name, lib] : plugins_) names.push_back(name);
  return names;
}

}  // namespace mcpcred

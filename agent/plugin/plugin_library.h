// One provider plugin: a shared object loaded with dlopen(), its ABI version
// negotiated and its function table resolved.
#ifndef MCPCRED_AGENT_PLUGIN_PLUGIN_LIBRARY_H_
#define MCPCRED_AGENT_PLUGIN_PLUGIN_LIBRARY_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "agent/config/config.h"
#include "mcpcred/provider.h"

namespace mcpcred {

// Thread-safe: immutable after Load().
class PluginLibrary {
 public:
  // Loads the plugin at `path`. The file is opened once (a symlink is not
  // followed), checked on the open descriptor and loaded from that same
  // descriptor, so what is checked is what runs. A file already loaded
  // through another path (a hard link, a directory reached twice) is not
  // loaded again: both libraries share the one load, whose entry point ran
  // once and whose teardown runs when the last of them goes. Errors, each
  // naming the path:
  //   NOT_FOUND           no such file;
  //   PERMISSION_DENIED   a symbolic link, writable by group or others, or
  //                       owned by another user than root or this one;
  //   INVALID_ARGUMENT    not a regular file, dlopen failed, or no
  //                       mcpcred_provider_entry symbol
  //                       ("not an mcpcred plugin"), or a required function or
  //                       the provider description is missing or malformed,
  //                       or its table holds a host service id;
  //   FAILED_PRECONDITION the plugin supports no ABI version this agent does
  //                       (the message says whether to upgrade the agent or
  //                       rebuild the plugin), or answered a version above
  //                       the offer.
  // A plugin that answers ABI 1 is read with the ABI 1 function ids; unknown
  // function ids are skipped.
  static absl::StatusOr<std::unique_ptr<PluginLibrary>> Load(
      const std::string& path);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const std::string& path() const { return path_; }
  const std::string& name() const { return loaded_->schema.name; }
  uint32_t abi_version() const { return loaded_->abi_version; }
  bool has_login() const {
    return (loaded_->flags & MCPCRED_PROVIDER_HAS_LOGIN) != 0;
  }
  uint32_t flags() const { return loaded_->flags; }
  // The provider's keys and template variables, for config validation.
  const config::ProviderSchema& schema() const { return loaded_->schema; }

  mcpcred_prov_create_fn create() const { return loaded_->create; }
  mcpcred_prov_destroy_fn destroy() const { return loaded_->destroy; }
  mcpcred_prov_fetch_fn fetch() const { return loaded_->fetch; }
  // Null unless has_login().
  mcpcred_prov_login_fn login() const { return loaded_->login; }
  mcpcred_prov_logout_fn logout() const { return loaded_->logout; }
  // Tells the plugin that the agent is stopping (its optional stop
  // function); running fetches and logins then end soon. Thread-safe.
  void Stop() const {
    if (loaded_->stop != nullptr) loaded_->stop();
  }

 private:
  // One dlopen() of one file, shared by the libraries of all its paths.
  struct Loaded {
    int fd = -1;  // loaded as /proc/self/fd/<fd>, open as long as loaded
    void* handle = nullptr;
    int users = 0;  // the PluginLibrary objects sharing it (Files locks)
    uint32_t abi_version = 0;
    uint32_t flags = 0;
    config::ProviderSchema schema;
    mcpcred_prov_create_fn create = nullptr;
    mcpcred_prov_destroy_fn destroy = nullptr;
    mcpcred_prov_fetch_fn fetch = nullptr;
    mcpcred_prov_teardown_fn teardown = nullptr;
    mcpcred_prov_login_fn login = nullptr;
    mcpcred_prov_logout_fn logout = nullptr;
    mcpcred_prov_stop_fn stop = nullptr;
  };
  // The files loaded in this process; see plugin_library.cc.
  class Files;

  PluginLibrary(std::string path, const Loaded* loaded)
      : path_(std::move(path)), loaded_(loaded) {}

  std::string path_;
  const Loaded* loaded_;  // counted in loaded_->users
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_PLUGIN_PLUGIN_LIBRARY_H_

// One provider plugin: a shared object loaded with dlopen(), its ABI version
// negotiated and its function table resolved.
#ifndef MCPCRED_AGENT_PLUGIN_PLUGIN_LIBRARY_H_
#define MCPCRED_AGENT_PLUGIN_PLUGIN_LIBRARY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "agent/config/config.h"
#include "mcpcred/provider.h"

namespace mcpcred {

// Thread-safe: immutable after Load().
class PluginLibrary {
 public:
  // Loads the plugin at `path`. The file is opened once (a symlink is not
  // followed), checked on the open descriptor and loaded from that same
  // descriptor, so what is checked is what runs. Errors, each naming the
  // path:
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
  const std::string& name() const { return schema_.name; }
  uint32_t abi_version() const { return abi_version_; }
  bool has_login() const { return (flags_ & MCPCRED_PROVIDER_HAS_LOGIN) != 0; }
  uint32_t flags() const { return flags_; }
  // The provider's keys and template variables, for config validation.
  const config::ProviderSchema& schema() const { return schema_; }

  mcpcred_prov_create_fn create() const { return create_; }
  mcpcred_prov_destroy_fn destroy() const { return destroy_; }
  mcpcred_prov_fetch_fn fetch() const { return fetch_; }
  // Null unless has_login().
  mcpcred_prov_login_fn login() const { return login_; }
  mcpcred_prov_logout_fn logout() const { return logout_; }
  // Tells the plugin that the agent is stopping (its optional stop
  // function); running fetches and logins then end soon. Thread-safe.
  void Stop() const {
    if (stop_ != nullptr) stop_();
  }

 private:
  PluginLibrary() = default;

  std::string path_;
  int fd_ = -1;  // the file loaded, open as long as it is
  void* handle_ = nullptr;
  uint32_t abi_version_ = 0;
  uint32_t flags_ = 0;
  config::ProviderSchema schema_;
  mcpcred_prov_create_fn create_ = nullptr;
  mcpcred_prov_destroy_fn destroy_ = nullptr;
  mcpcred_prov_fetch_fn fetch_ = nullptr;
  mcpcred_prov_teardown_fn teardown_ = nullptr;
  mcpcred_prov_login_fn login_ = nullptr;
  mcpcred_prov_logout_fn logout_ = nullptr;
  mcpcred_prov_stop_fn stop_ = nullptr;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_PLUGIN_PLUGIN_LIBRARY_H_

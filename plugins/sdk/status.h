// absl::Status on the plugin side of the ABI: how a plugin turns its internal
// errors into mcpcred_error, and the host's answers back into statuses.
#ifndef MCPCRED_PLUGINS_SDK_STATUS_H_
#define MCPCRED_PLUGINS_SDK_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "mcpcred/provider.h"

namespace mcpcred::plugin {

// The ABI code for `status`: INVALID_ARGUMENT -> INVALID_CONFIG, NOT_FOUND ->
// NOT_FOUND, FAILED_PRECONDITION -> LOGIN_REQUIRED, PERMISSION_DENIED ->
// PERMISSION, CANCELLED, UNIMPLEMENTED -> UNSUPPORTED, UNAVAILABLE and
// DEADLINE_EXCEEDED -> UNAVAILABLE, anything else INTERNAL.
int32_t CodeFor(const absl::Status& status);

// Fills `error` from `status` (naming config key `key` when not empty) and
// returns its code; MCPCRED_OK for an OK status.
int32_t Fail(mcpcred_error* error, const absl::Status& status,
             const std::string& key = "");

// The status for a code and message the host returned.
absl::Status StatusFor(int32_t code, const mcpcred_error& error);

}  // namespace mcpcred::plugin

// Defines the plugin's exported entry point, answering with `dispatch` (a
// static mcpcred_dispatch table) to any host that offers ABI 1 or later.
#define MCPCRED_DEFINE_PROVIDER_ENTRY(dispatch)                              \
  extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(                  \
      uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,          \
      uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {      \
    return ::mcpcred::plugin::Negotiate(                                     \
        host_max_abi, host_dispatch, plugin_abi, plugin_dispatch, dispatch); \
  }

#endif  // MCPCRED_PLUGINS_SDK_STATUS_H_

// absl::Status on either side of the ABI: the one table between
// absl::StatusCode and mcpcred_code, used by the plugins (through the SDK)
// and by the agent (agent/plugin/plugin_status.h), so that both read a code
// the same way.
#ifndef MCPCRED_PLUGINS_SDK_STATUS_H_
#define MCPCRED_PLUGINS_SDK_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "mcpcred/provider.h"
#include "mcpcred/provider_sdk.h"

namespace mcpcred::plugin {

// The ABI code for a status code. Both ways, as the table in status.cc says:
//   OK                  <-> MCPCRED_OK
//   INVALID_ARGUMENT    <-> MCPCRED_ERR_INVALID_CONFIG
//   NOT_FOUND           <-> MCPCRED_ERR_NOT_FOUND
//   FAILED_PRECONDITION <-> MCPCRED_ERR_LOGIN_REQUIRED
//   UNAVAILABLE         <-> MCPCRED_ERR_UNAVAILABLE
//   PERMISSION_DENIED   <-> MCPCRED_ERR_PERMISSION
//   UNIMPLEMENTED       <-> MCPCRED_ERR_UNSUPPORTED
//   INTERNAL            <-> MCPCRED_ERR_INTERNAL
//   CANCELLED           <-> MCPCRED_ERR_CANCELLED
//   DEADLINE_EXCEEDED    -> MCPCRED_ERR_UNAVAILABLE
// Any other status code becomes MCPCRED_ERR_INTERNAL, any other ABI code
// INTERNAL.
int32_t CodeFor(absl::StatusCode code);
int32_t CodeFor(const absl::Status& status);
absl::StatusCode StatusCodeFor(int32_t code);

// Fills `error` from `status` (naming config key `key` when not empty) and
// returns its code; MCPCRED_OK for an OK status.
int32_t Fail(mcpcred_error* error, const absl::Status& status,
             const std::string& key = "");

// The status for a code and message the host returned.
absl::Status StatusFor(int32_t code, const mcpcred_error& error);

}  // namespace mcpcred::plugin

#endif  // MCPCRED_PLUGINS_SDK_STATUS_H_

// Conversions between the ABI's mcpcred_error and absl::Status at the agent:
// the code table of plugins/sdk/status.h, with the agent's own rules on top.
#ifndef MCPCRED_AGENT_PLUGIN_PLUGIN_STATUS_H_
#define MCPCRED_AGENT_PLUGIN_PLUGIN_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "mcpcred/provider.h"

namespace mcpcred {

// Writes `status` into `error` (if not null) and returns its mcpcred_code. A
// FAILED_PRECONDITION not marked as needing a login (IsLoginRequired) is
// MCPCRED_ERR_INVALID_CONFIG: on the agent it means a set-up problem.
int32_t FillError(mcpcred_error* error, const absl::Status& status);

// The Status for a plugin's failure. LOGIN_REQUIRED becomes
// FAILED_PRECONDITION marked so that IsLoginRequired() finds it; a plugin's
// NOT_FOUND (a missing secret) and UNSUPPORTED also become
// FAILED_PRECONDITION, because NOT_FOUND at the agent's edge means "no such
// credential" and UNIMPLEMENTED "no such RPC".
absl::Status StatusFromPlugin(int32_t code, const mcpcred_error& error);

// FAILED_PRECONDITION marked as needing a login, worded the same for every
// provider: credential "NAME" needs a login: run 'mcpcred login NAME', with
// `reason` in parentheses when not empty.
absl::Status LoginRequiredError(const std::string& credential,
                                const std::string& reason);

// True for a status made from MCPCRED_ERR_LOGIN_REQUIRED.
bool IsLoginRequired(const absl::Status& status);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_PLUGIN_PLUGIN_STATUS_H_

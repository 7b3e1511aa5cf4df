// Conversions between the ABI's mcpcred_error and absl::Status.
#ifndef MCPCRED_AGENT_PLUGIN_PLUGIN_STATUS_H_
#define MCPCRED_AGENT_PLUGIN_PLUGIN_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "mcpcred/provider.h"

namespace mcpcred {

// Writes `status` into `error` (if not null) and returns its mcpcred_code.
int32_t FillError(mcpcred_error* error, const absl::Status& status);

// The Status for a plugin's failure. LOGIN_REQUIRED becomes
// FAILED_PRECONDITION marked so that IsLoginRequired() finds it; a plugin's
// NOT_FOUND (a missing secret) also becomes FAILED_PRECONDITION, because
// NOT_FOUND at the agent's edge means "no such credential".
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

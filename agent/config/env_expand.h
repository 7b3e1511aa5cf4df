// Expands "${VAR}" references in config values from the process environment,
// so a config file can be shared while machine-specific parts stay outside.
//
// Thread-safe as long as nothing modifies the environment concurrently.
#ifndef MCPCRED_AGENT_CONFIG_ENV_EXPAND_H_
#define MCPCRED_AGENT_CONFIG_ENV_EXPAND_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcred::config {

// Returns `text` with each "${VAR}" replaced by the value of VAR; "$${" stands
// for a literal "${". A "$" not followed by "{" is kept as is. Returns
// INVALID_ARGUMENT naming VAR if it is unset, or for an unclosed "${" or a
// name that is not [A-Za-z_][A-Za-z0-9_]*. Errors never contain a value.
absl::StatusOr<std::string> ExpandEnvVars(absl::string_view text);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_ENV_EXPAND_H_

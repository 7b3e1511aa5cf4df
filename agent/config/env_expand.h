// Expands "${VAR}" references in config values from the process environment,
// so a config file can be shared while machine-specific parts stay outside.
//
// Thread-safe as long as nothing modifies the environment concurrently.
#ifndef MCPCRED_AGENT_CONFIG_ENV_EXPAND_H_
#define MCPCRED_AGENT_CONFIG_ENV_EXPAND_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcred::config {

// One substitution ExpandEnvVars made: `value` came from `reference`.
struct Expansion {
  std::string value;      // never empty
  std::string reference;  // "${NAME}"
};

// Returns `text` with each "${VAR}" replaced by the value of VAR; "$${" stands
// for a literal "${". A "$" not followed by "{" is kept as is. Returns
// INVALID_ARGUMENT naming VAR if it is unset, or for an unclosed "${" or a
// name that is not [A-Za-z_][A-Za-z0-9_]*. Errors never contain a value.
// Each non-empty value substituted is appended to *used when it is given
// (once per variable).
absl::StatusOr<std::string> ExpandEnvVars(
    absl::string_view text, std::vector<Expansion>* used = nullptr);

// `message` with every value in `used` replaced by its "${NAME}" (the
// longest match first): for errors that quote an expanded value (a provider's
// "command /expanded/path cannot be run"), which must show what the file says,
// never what the environment held.
std::string HideExpansions(absl::string_view message,
                           const std::vector<Expansion>& used);
// The same for a status's message; the code and payloads are kept.
absl::Status HideExpansions(const absl::Status& status,
                            const std::vector<Expansion>& used);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_ENV_EXPAND_H_

// The `lifetime` of a credential and `mcpcred-agent -t`: how long the agent
// keeps what it obtained for a credential before forgetting it (like
// `ssh-add -t`).
//
// Thread-safe: pure functions.
#ifndef MCPCRED_AGENT_CONFIG_LIFETIME_H_
#define MCPCRED_AGENT_CONFIG_LIFETIME_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mcpcred::config {

// Parses "8h", "90m", "1h30m", "45s", "1.5h" (units h, m, s, ms) or a bare
// number of seconds ("3600", as ssh-add -t takes). Returns INVALID_ARGUMENT,
// saying what to write, for anything else, for less than one second, and for
// "inf".
absl::StatusOr<absl::Duration> ParseLifetime(absl::string_view text);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_LIFETIME_H_

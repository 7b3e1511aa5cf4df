// What a credential command prints: one JSON object,
//   {"access_token": "...", "expires_in": 3600, "token_type": "Bearer"}
// or with "expires_at": "2026-11-22T10:00:00Z" (RFC 3339) instead of, or as
// well as, "expires_in". Unknown keys are ignored so that commands written
// for kubectl or AWS can add their own.
#ifndef MCPCRED_PLUGINS_COMMAND_TOKEN_OUTPUT_H_
#define MCPCRED_PLUGINS_COMMAND_TOKEN_OUTPUT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred::command {

struct CommandToken {
  SecretString access_token;
  std::string token_type;                // "" when the command printed none
  std::optional<int64_t> expires_at_ms;  // nullopt: never expires
};

// Parses the command's stdout. `now_ms` anchors "expires_in". When both
// expiry keys are given the earlier one wins: serving a token past either
// promise risks a request failing upstream.
// Returns UNAVAILABLE with a message that continues "command \"X\" ..." (for
// example "printed invalid JSON (line 2, column 7)") and never quotes the
// output, which may hold a secret.
absl::StatusOr<CommandToken> ParseTokenOutput(const std::string& out,
                                              int64_t now_ms);

}  // namespace mcpcred::command

#endif  // MCPCRED_PLUGINS_COMMAND_TOKEN_OUTPUT_H_

// Fuzzes ParseTokenOutput (plugins/command/token_output.h): what a
// credential command prints on stdout. The whole input is that output.
//
// Invariants:
//  - success gives a non-empty access token and a token type without
//    control characters (they go into HTTP headers and the environment),
//    the body's own values;
//  - the expiry follows the header: none without expiry keys; now +
//    expires_in alone; set by expires_at alone; never later than now +
//    expires_in when both are given;
//  - failure is UNAVAILABLE with a one-line printable message that never
//    quotes the output: it contains no access_token value of 4 or more
//    bytes that holds a byte outside [A-Za-z0-9 ] (no template word can
//    then produce it by accident).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "plugins/command/token_output.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Escape;

// 2025-11-22T10:00:00Z, the clock of the agent that runs the command.
constexpr int64_t kNowMs = 1763805600000;

bool IsDistinctive(const std::string& text) {
  if (text.size() < 4) return false;
  for (char c : text) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == ' ';
    if (!plain) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string out(mcpcred::fuzz::AsText(data, size));

  absl::StatusOr<mcpcred::command::CommandToken> token =
      mcpcred::command::ParseTokenOutput(out, kNowMs);
  const nlohmann::json doc =
      nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  const std::string where = "output " + Escape(out);

  if (!token.ok()) {
    const std::string message(token.status().message());
    FUZZ_CHECK("command-error-code",
               token.status().code() == absl::StatusCode::kUnavailable,
               token.status().ToString() + " for " + where);
    FUZZ_CHECK("command-error-one-line",
               !message.empty() && !mcpcred::fuzz::HasControl(message) &&
                   mcpcred::fuzz::IsValidUtf8(message),
               "message " + Escape(message) + " for " + where);
    if (doc.is_object() && doc.contains("access_token") &&
        doc["access_token"].is_string()) {
      const std::string secret = doc["access_token"].get<std::string>();
      FUZZ_CHECK(
          "command-error-shows-token",
          !IsDistinctive(secret) || message.find(secret) == std::string::npos,
          "message " + Escape(message) + " shows the token of " + where);
    }
    return 0;
  }

  FUZZ_CHECK("command-success-is-object", doc.is_object(), where);
  if (!doc.is_object()) return 0;
  FUZZ_CHECK(
      "command-access-token",
      !token->access_token.empty() &&
          !mcpcred::fuzz::HasControl(token->access_token.view()) &&
          doc.contains("access_token") &&
          doc["access_token"] == token->access_token.ToUnwipedString(),
      "access_token " + Escape(token->access_token.view()) + " from " + where);
  FUZZ_CHECK(
      "command-token-type",
      !mcpcred::fuzz::HasControl(token->token_type) &&
          (doc.contains("token_type") ? doc["token_type"] == token->token_type
                                      : token->token_type.empty()),
      "token_type " + Escape(token->token_type) + " from " + where);

  const bool has_in = doc.contains("expires_in");
  const bool has_at = doc.contains("expires_at");
  const std::optional<int64_t>& expiry = token->expires_at_ms;
  FUZZ_CHECK("command-expiry-present", expiry.has_value() == (has_in || has_at),
             where);
  if (!expiry.has_value()) return 0;
  std::optional<int64_t> from_in;
  if (has_in && doc["expires_in"].is_number()) {
    const double seconds = doc["expires_in"].get<double>();
    from_in = kNowMs + std::llround(seconds * 1000);
    FUZZ_CHECK("command-expires-in", *expiry <= *from_in,
               "expiry " + std::to_string(*expiry) + " for " + where);
    if (!has_at) {
      FUZZ_CHECK("command-expires-in", *expiry == *from_in,
                 "expiry " + std::to_string(*expiry) + " for " + where);
    }
  }
  return 0;
}

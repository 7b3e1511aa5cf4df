// Parsing and classification of token endpoint answers (RFC 6749 sections
// 5.1 and 5.2, RFC 8628 section 3.5 for the device flow's polling errors),
// for every grant: authorization code, refresh, device code, client
// credentials.
//
// Messages are one line and NEVER contain a token: the server's
// error_description is included (control characters removed, at most 200
// bytes) but any token value from the body or from `secrets` is replaced by
// "[redacted]" first. Pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_TOKEN_RESPONSE_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_TOKEN_RESPONSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred::oauth2 {

// What the caller does next.
enum class TokenErrorKind {
  kLoginRequired,         // invalid_grant: the grant is gone, log in again
  kRetryable,             // server_error, temporarily_unavailable, 5xx, 429,
                          // 408, a malformed body: retry with backoff
  kAuthorizationPending,  // device flow: keep polling at the interval
  kSlowDown,              // device flow: add 5 s to the interval, keep going
  kExpiredToken,          // device flow: the device code expired
  kAccessDenied,          // the user (or policy) refused
  kFatal,                 // invalid_client, unauthorized_client,
                          // invalid_scope, invalid_request, unsupported
                          // token_type, other 4xx...: a config problem
};

// "login_required", "retryable"... for logs and tests.
std::string_view TokenErrorKindName(TokenErrorKind kind);

// The tokens are SecretStrings: they are wiped wherever a TokenSet goes.
struct TokenSet {
  SecretString access_token;
  std::string token_type;             // "Bearer"
  std::optional<int64_t> expires_in;  // seconds; nullopt when not sent
  std::optional<SecretString> refresh_token;
  std::optional<std::string> scope;  // as granted, when the server says
};

struct TokenError {
  TokenErrorKind kind = TokenErrorKind::kFatal;
  std::string error;    // the OAuth error code, e.g. "invalid_grant", or ""
  std::string message;  // one line naming the endpoint, never a token
};

// Either the tokens or the classified error.
class TokenResult {
 public:
  explicit TokenResult(TokenSet tokens) : value_(std::move(tokens)) {}
  explicit TokenResult(TokenError error) : value_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<TokenSet>(value_); }
  // Require ok() / !ok() respectively.
  const TokenSet& tokens() const { return std::get<TokenSet>(value_); }
  TokenSet& tokens() { return std::get<TokenSet>(value_); }
  const TokenError& error() const { return std::get<TokenError>(value_); }

 private:
  std::variant<TokenSet, TokenError> value_;
};

// Classifies the answer of `token_url` (named in messages):
// - 2xx with a JSON object holding a non-empty string "access_token" and a
//   token_type of "Bearer" (any case; a missing token_type is taken as
//   Bearer) is success. Both tokens must be VSCHAR (RFC 6749 appendix A)
//   so they are safe in a header. expires_in may be a non-negative number
//   or a string of digits (capped at 10^9 s); anything else leaves it
//   unset. id_token is ignored.
// - an "error" member, whatever the status, is classified by its code;
//   an unknown code on a 5xx or 429 answer is kRetryable.
// - otherwise 5xx, 429 and 408 are kRetryable, and a 2xx body that is not a
//   JSON object or has no access_token is kRetryable with "malformed token
//   response from URL"; anything else (3xx, 4xx) is kFatal.
// `secrets` are values the caller sent (a refresh token, a client secret, a
// device code) that must never be echoed back in a message. The parsed
// answer is wiped on every way out; tokens are copied only into the
// TokenSet.
TokenResult ParseTokenResponse(int http_status, std::string_view body,
                               std::string_view token_url,
                               absl::Span<const std::string_view> secrets = {});

// Maps an error to a status carrying its message: kLoginRequired ->
// FAILED_PRECONDITION (login needed), kRetryable, kAuthorizationPending and
// kSlowDown -> UNAVAILABLE, kExpiredToken -> DEADLINE_EXCEEDED,
// kAccessDenied -> PERMISSION_DENIED, kFatal -> INVALID_ARGUMENT.
absl::Status ToStatus(const TokenError& error);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_TOKEN_RESPONSE_H_

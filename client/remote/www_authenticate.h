// Reads the Bearer challenge of a WWW-Authenticate header (RFC 6750 §3,
// RFC 9728 §5.1): what a 401 or a 403 says the client lacks.
//
// The header may hold several challenges (`Basic realm="x", Bearer
// error="insufficient_scope", scope="a b"`) and several headers may be
// given; auth-param values are tokens or quoted strings with `\` escapes.
// Parameter names are case-insensitive. Nothing here is a secret: challenges
// name scopes and URLs, never tokens.
#ifndef MCPCRED_CLIENT_REMOTE_WWW_AUTHENTICATE_H_
#define MCPCRED_CLIENT_REMOTE_WWW_AUTHENTICATE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpcred::remote {

struct BearerChallenge {
  std::string error;  // "invalid_token", "insufficient_scope", ...
  std::string error_description;
  std::vector<std::string> scopes;  // `scope`, split on spaces, in order
  std::string resource_metadata;
};

// The first Bearer challenge in `headers` (the values of every
// WWW-Authenticate header of one response), or nullopt if there is none.
std::optional<BearerChallenge> ParseBearerChallenge(
    const std::vector<std::string>& headers);

// True for a challenge that asks for more scopes: error="insufficient_scope"
// with a non-empty `scope`.
bool IsScopeChallenge(const BearerChallenge& challenge);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_WWW_AUTHENTICATE_H_

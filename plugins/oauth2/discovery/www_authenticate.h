// Parsing of the WWW-Authenticate response header (RFC 9110 section 11.6.1):
//
//   WWW-Authenticate = #challenge
//   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param       = token BWS "=" BWS ( token / quoted-string )
//
// An MCP server answers an unauthenticated request with 401 and a Bearer
// challenge whose `resource_metadata` and `scope` parameters start discovery
// (RFC 9728 section 5.1, RFC 6750 section 3).
//
// The input is untrusted: the parser never crashes or loops on garbage, it
// returns every challenge it could make sense of and skips the rest up to
// the next comma. Unquoted values are read leniently up to the next comma or
// whitespace (some servers send unquoted URLs, which are not tokens).
// All functions are pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_WWW_AUTHENTICATE_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_WWW_AUTHENTICATE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpcred::oauth2 {

struct Challenge {
  std::string scheme;                         // lower-cased, e.g. "bearer"
  std::map<std::string, std::string> params;  // names lower-cased; values
                                              // unquoted and unescaped
  std::string token68;                        // set only for token68 form
};

// Parses a header value into its challenges, in order. A parameter named
// twice in one challenge keeps its first value. Several WWW-Authenticate
// header lines may be joined with ", " before parsing (RFC 9110 5.3).
std::vector<Challenge> ParseWwwAuthenticate(std::string_view header);

// The parameters of a Bearer challenge that discovery uses; absent ones are
// empty.
struct BearerChallenge {
  std::string resource_metadata;  // RFC 9728 section 5.1
  std::string scope;              // RFC 6750 section 3
  std::string error;              // e.g. "invalid_token", "insufficient_scope"
  std::string error_description;
};

// The first challenge whose scheme is "bearer" (case-insensitively), or
// nullopt when there is none.
std::optional<BearerChallenge> FindBearer(
    const std::vector<Challenge>& challenges);
std::optional<BearerChallenge> FindBearer(std::string_view header);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_WWW_AUTHENTICATE_H_

// Finds the authorization server of an MCP server as the MCP authorization
// spec (2025-11-25) orders it: an unauthenticated POST of an `initialize`
// request to the server, whose 401 challenge names the protected resource
// metadata (else the well-known URLs, path-inserted first, then the root);
// the metadata's `resource` must cover the server's URL (ResourceCovers);
// its first authorization server's metadata comes from the RFC 8414 /
// OpenID URLs in the spec's order and its `issuer` must equal the one asked
// for. A server without any protected resource metadata gets the 2025-03-26
// fallbacks: authorization server metadata at the MCP server's origin, else
// the default endpoints /authorize, /token and /register there. A server
// without PKCE S256 is refused (the 2025-03-26 defaults assume it).
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERER_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERER_H_

#include <string>

#include "absl/status/statusor.h"
#include "plugins/oauth2/discovery/metadata.h"
#include "plugins/oauth2/http_calls.h"
#include "plugins/oauth2/oauth2_config.h"

namespace mcpcred::oauth2 {

struct Endpoints {
  AuthServerMetadata server;
  // The canonical resource for RFC 8707, "" when not sending one.
  std::string resource;
  // Scopes to ask for (SelectScopes): the challenge's, else the resource's
  // scopes_supported, plus the configured ones, plus offline_access when the
  // server lists it and the grant refreshes.
  std::string scope;
};

// Discovers from `config.resource`, or builds the endpoints from the explicit
// ones in the config (fetching the issuer's metadata when only `issuer` is
// set). Errors are one line naming the URL: UNAVAILABLE when a server cannot
// be reached or answers 5xx, INVALID_ARGUMENT when a document is wrong.
absl::StatusOr<Endpoints> Discover(const HttpContext& ctx,
                                   const OAuth2Config& config);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERER_H_

// The well-known metadata URLs discovery tries, in the order the MCP
// authorization specification (revisions 2025-06-18 and 2025-11-25) gives.
// The caller fetches them in order and uses the first that answers with a
// document; these functions only build the URLs. Pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_WELL_KNOWN_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_WELL_KNOWN_H_

#include <string>
#include <vector>

#include "plugins/oauth2/discovery/url.h"

namespace mcpcred::oauth2 {

// RFC 9728 section 3.1 protected resource metadata URLs for a resource (the
// MCP server URL), used when the 401 challenge carries no
// `resource_metadata`: the path-specific one first, then the root one.
//   https://mcp.example.com/mcp ->
//     https://mcp.example.com/.well-known/oauth-protected-resource/mcp
//     https://mcp.example.com/.well-known/oauth-protected-resource
// A resource with no path (or "/") and no query has only the root URL. The
// query, if any, stays on the path-specific URL; a fragment is dropped.
std::vector<std::string> ProtectedResourceMetadataUrls(const Url& resource);

// Authorization server metadata URLs for an issuer. With a path component
// (a terminating "/" removed, as RFC 8414 section 3.1 and OpenID Connect
// Discovery section 4 require):
//   https://auth.example.com/tenant1 ->
//     https://auth.example.com/.well-known/oauth-authorization-server/tenant1
//     https://auth.example.com/.well-known/openid-configuration/tenant1
//     https://auth.example.com/tenant1/.well-known/openid-configuration
// Without one:
//     https://auth.example.com/.well-known/oauth-authorization-server
//     https://auth.example.com/.well-known/openid-configuration
// Query and fragment are ignored: an issuer has neither (RFC 8414 section 2).
std::vector<std::string> AuthServerMetadataUrls(const Url& issuer);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_WELL_KNOWN_H_

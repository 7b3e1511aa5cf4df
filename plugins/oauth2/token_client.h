// Requests to the authorization server's endpoints: token (every grant),
// revocation (RFC 7009) and dynamic client registration (RFC 7591).
#ifndef MCPCRED_PLUGINS_OAUTH2_TOKEN_CLIENT_H_
#define MCPCRED_PLUGINS_OAUTH2_TOKEN_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "plugins/oauth2/discoverer.h"
#include "plugins/oauth2/discovery/token_response.h"
#include "plugins/oauth2/http_calls.h"
#include "plugins/oauth2/token_store.h"

namespace mcpcred::oauth2 {

// The client's identity at the token endpoint: a public client sends its
// client_id; a confidential one authenticates with HTTP Basic.
struct ClientAuth {
  std::string client_id;
  std::string client_secret;
};

// POSTs `grant` (grant_type and its parameters) to the token endpoint, adding
// the client's authentication and the RFC 8707 resource when the endpoints
// have one. A network failure is a retryable TokenError. `secret` (a refresh
// token or device code being sent) is kept out of messages.
TokenResult RequestToken(const HttpContext& ctx, const Endpoints& endpoints,
                         const ClientAuth& client, FormParams grant,
                         const std::string& secret = "");

// Revokes `token` (hint "refresh_token" or "access_token"). OK when the
// server has no revocation endpoint.
absl::Status Revoke(const HttpContext& ctx, const Endpoints& endpoints,
                    const ClientAuth& client, const std::string& token,
                    const std::string& hint);

// Registers a native public client with a loopback redirect URI. Returns
// INVALID_ARGUMENT saying to set client_id when the server offers no
// registration endpoint.
absl::StatusOr<StoredClient> RegisterClient(const HttpContext& ctx,
                                            const Endpoints& endpoints,
                                            bool device_grant);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_TOKEN_CLIENT_H_

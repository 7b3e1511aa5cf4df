// Requests to the authorization server's endpoints: token (every grant),
// revocation (RFC 7009) and dynamic client registration (RFC 7591).
#ifndef MCPCRED_PLUGINS_OAUTH2_TOKEN_CLIENT_H_
#define MCPCRED_PLUGINS_OAUTH2_TOKEN_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "plugins/oauth2/client_auth.h"
#include "plugins/oauth2/discoverer.h"
#include "plugins/oauth2/discovery/token_response.h"
#include "plugins/oauth2/http_calls.h"
#include "plugins/oauth2/token_store.h"

namespace mcpcred::oauth2 {

// POSTs `grant` (grant_type and its parameters) to the token endpoint, adding
// the client's authentication (client_auth.h; a client assertion's audience
// is the issuer) and the RFC 8707 resource when the endpoints have one. A
// network failure is a retryable TokenError. `secret` (a refresh token, an
// assertion or a device code being sent) is kept out of messages.
TokenResult RequestToken(const HttpContext& ctx, const Endpoints& endpoints,
                         const ClientAuth& client, FormParams grant,
                         std::string_view secret = "");

// Revokes `token` (hint "refresh_token" or "access_token"). OK when the
// server has no revocation endpoint.
absl::Status Revoke(const HttpContext& ctx, const Endpoints& endpoints,
                    const ClientAuth& client, std::string_view token,
                    const std::string& hint);

// Registers a native public client (RFC 7591) with the exact loopback
// redirect URI http://127.0.0.1:PORT/callback (PORT 0: without a port),
// asking for the refresh_token grant (and the device grant when
// `device_grant`). The answer's client_id, client_secret and
// token_endpoint_auth_method are returned with `redirect_port` = PORT.
// Returns INVALID_ARGUMENT saying to set client_id when the server offers no
// registration endpoint.
absl::StatusOr<StoredClient> RegisterClient(const HttpContext& ctx,
                                            const Endpoints& endpoints,
                                            bool device_grant,
                                            int redirect_port);

// A token exchange (RFC 8693) at `token_endpoint` (the identity provider's)
// of `subject_token` for an Identity Assertion Authorization Grant (ID-JAG)
// for `audience` (the MCP authorization server's issuer) and `resource`.
// The identity provider client authenticates as `client`. Returns the
// ID-JAG (a bearer grant: a SecretString); UNAVAILABLE or INVALID_ARGUMENT
// naming the endpoint otherwise, never quoting a token.
absl::StatusOr<SecretString> ExchangeForIdJag(
    const HttpContext& ctx, const std::string& token_endpoint,
    const ClientAuth& client, std::string_view subject_token,
    const std::string& subject_token_type, const std::string& audience,
    const std::string& resource, const std::string& scope);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_TOKEN_CLIENT_H_

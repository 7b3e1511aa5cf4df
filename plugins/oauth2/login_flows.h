// The interactive logins: authorization code with PKCE through the agent's
// loopback redirect listener, and the device authorization grant (RFC 8628).
#ifndef MCPCRED_PLUGINS_OAUTH2_LOGIN_FLOWS_H_
#define MCPCRED_PLUGINS_OAUTH2_LOGIN_FLOWS_H_

#include "absl/status/statusor.h"
#include "plugins/oauth2/discovery/token_response.h"
#include "plugins/oauth2/token_client.h"

namespace mcpcred::oauth2 {

struct LoginContext {
  HttpContext http;
  mcpcred_login_session* session = nullptr;
  const Endpoints* endpoints = nullptr;  // scope already has any step-up
  ClientAuth client;
  int timeout_seconds = 120;
  std::string login_hint;  // passed through when set
  int redirect_port = 0;   // the bound loopback listener's (OpenRedirect)
};

// Binds the session's loopback redirect listener, on `preferred_port` when
// the host can and the port is free. Returns the port.
absl::StatusOr<int> OpenRedirect(mcpcred_login_session* session,
                                 int preferred_port);

// The space-separated scopes the person added to this login ("" if none).
std::string LoginScopes(mcpcred_login_session* session);

// Emits the authorization URL for http://127.0.0.1:ctx.redirect_port/callback,
// waits for the browser and exchanges the code; the browser's page then says
// whether the login worked and if not why (when the host can hold it).
// Errors: CANCELLED, UNAVAILABLE on timeout, PERMISSION_DENIED when the user
// refused, INVALID_ARGUMENT on a state or iss mismatch (the redirect is
// ignored), else the token endpoint's error.
absl::StatusOr<TokenSet> AuthorizationCodeLogin(const LoginContext& ctx);

// Emits the user code and polls the token endpoint at the server's interval
// (5 s by default; slow_down adds 5 s from then on) until the person
// approves, denies (PERMISSION_DENIED), the code expires (DEADLINE_EXCEEDED)
// or the login is cancelled.
absl::StatusOr<TokenSet> DeviceLogin(const LoginContext& ctx);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_LOGIN_FLOWS_H_

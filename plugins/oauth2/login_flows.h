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
  const Endpoints* endpoints = nullptr;
  ClientAuth client;
  int timeout_seconds = 120;
};

// Binds the redirect listener, emits the authorization URL, waits for the
// browser and exchanges the code. Errors: CANCELLED, UNAVAILABLE on timeout,
// PERMISSION_DENIED when the user refused, INVALID_ARGUMENT on a state or iss
// mismatch (the redirect is ignored), else the token endpoint's error.
absl::StatusOr<TokenSet> AuthorizationCodeLogin(const LoginContext& ctx);

// Emits the user code and polls the token endpoint at the server's interval
// (5 s by default; slow_down adds 5 s from then on) until the person
// approves, denies (PERMISSION_DENIED), the code expires (DEADLINE_EXCEEDED)
// or the login is cancelled.
absl::StatusOr<TokenSet> DeviceLogin(const LoginContext& ctx);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_LOGIN_FLOWS_H_

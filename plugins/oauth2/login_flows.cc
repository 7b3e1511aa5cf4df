#include "plugins/oauth2/login_flows.h"

#include <unistd.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/pkce.h"
#include "plugins/sdk/wipe_json.h"

namespace mcpcred::oauth2 {
namespace {

bool Cancelled(const LoginContext& ctx) {
  return plugin::host().login_cancelled(ctx.session) != 0;
}

absl::StatusOr<TokenSet> Finish(TokenResult result) {
  if (result.ok()) return std::move(result.tokens());
  return ToStatus(result.error());
}

// The redirect's query, which holds the authorization code.
absl::StatusOr<SecretString> WaitForRedirect(const LoginContext& ctx) {
  const auto& h = plugin::host();
  char* query = nullptr;
  size_t len = 0;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  auto wait =
      h.loopback_wait_held != nullptr ? h.loopback_wait_held : h.loopback_wait;
  int32_t rc = wait(ctx.session, "/callback", ctx.timeout_seconds * 1000,
                    &query, &len, &error);
  if (rc != MCPCRED_OK) return StatusFor(rc, error);
  SecretString out(query, len);
  h.free(ctx.http.host, query, len);
  return out;
}

// Everything after the browser came back; the page tells its outcome.
absl::StatusOr<TokenSet> FinishRedirect(const LoginContext& ctx,
                                        std::string_view query,
                                        const std::string& state,
                                        const std::string& verifier,
                                        const std::string& redirect_uri);

}  // namespace

absl::StatusOr<int> OpenRedirect(mcpcred_login_session* session,
                                 int preferred_port) {
  const auto& h = plugin::host();
  int32_t port = 0;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc =
      h.loopback_open_port != nullptr
          ? h.loopback_open_port(session, preferred_port, &port, &error)
          : h.loopback_open(session, &port, &error);
  if (rc != MCPCRED_OK) return absl::UnavailableError(error.message);
  return port;
}

std::string LoginScopes(mcpcred_login_session* session) {
  const auto& h = plugin::host();
  if (h.login_scopes == nullptr) return "";
  char* scopes = nullptr;
  size_t len = 0;
  if (h.login_scopes(session, &scopes, &len) != MCPCRED_OK) return "";
  std::string out(scopes, len);
  h.free(nullptr, scopes, len);
  return out;
}

absl::StatusOr<TokenSet> AuthorizationCodeLogin(const LoginContext& ctx) {
  const Endpoints& e = *ctx.endpoints;
  if (!e.server.authorization_endpoint.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the authorization server ", e.server.issuer,
        " has no authorization endpoint: use grant = \"device_code\""));
  }
  const auto& h = plugin::host();
  const std::string redirect_uri =
      absl::StrCat("http://127.0.0.1:", ctx.redirect_port, "/callback");
  absl::StatusOr<std::string> verifier = NewCodeVerifier();
  absl::StatusOr<std::string> state = NewState();
  if (!verifier.ok()) return verifier.status();
  if (!state.ok()) return state.status();

  FormParams params = {{"response_type", "code"},
                       {"client_id", ctx.client.client_id},
                       {"redirect_uri", redirect_uri},
                       {"state", *state},
                       {"code_challenge", S256Challenge(*verifier)},
                       {"code_challenge_method", "S256"}};
  if (!e.scope.empty()) params.emplace_back("scope", e.scope);
  if (!e.resource.empty()) params.emplace_back("resource", e.resource);
  if (!ctx.login_hint.empty())
    params.emplace_back("login_hint", ctx.login_hint);
  h.login_open_url(
      ctx.session,
      AppendQuery(*e.server.authorization_endpoint, params).c_str());

  absl::StatusOr<SecretString> query = WaitForRedirect(ctx);
  if (!query.ok()) return query.status();
  absl::StatusOr<TokenSet> tokens =
      FinishRedirect(ctx, query->view(), *state, *verifier, redirect_uri);
  if (h.loopback_reply != nullptr) {
    h.loopback_reply(ctx.session, tokens.ok() ? 1 : 0,
                     std::string(tokens.status().message()).c_str());
  }
  return tokens;
}

namespace {

absl::StatusOr<TokenSet> FinishRedirect(const LoginContext& ctx,
                                        std::string_view query,
                                        const std::string& state,
                                        const std::string& verifier,
                                        const std::string& redirect_uri) {
  const Endpoints& e = *ctx.endpoints;
  // Pairs that wipe themselves: the answer holds the code.
  const FormParams pairs = ParseQueryPairs(query);
  auto answer = [&pairs](std::string_view name) -> const std::string& {
    return FirstValue(pairs, name);
  };
  auto has = [&pairs](std::string_view name) {
    for (const auto& pair : pairs) {
      if (pair.first == name) return true;
    }
    return false;
  };
  if (answer("state") != state) {
    return absl::InvalidArgumentError(
        "the browser came back with a state this login did not send: "
        "ignoring it (try 'mcpcred login' again)");
  }
  // RFC 9207: a mix-up attack shows as another issuer.
  if (has("iss") && answer("iss") != e.server.issuer) {
    return absl::InvalidArgumentError(
        absl::StrCat("the authorization response came from issuer \"",
                     answer("iss").substr(0, 200), "\", expected \"",
                     e.server.issuer, "\""));
  }
  if (has("error")) {
    std::string why = answer("error").substr(0, 100);
    if (!answer("error_description").empty()) {
      absl::StrAppend(&why, ": ", answer("error_description").substr(0, 200));
    }
    if (answer("error") == "access_denied") {
      return absl::PermissionDeniedError(
          absl::StrCat("the login was refused (", why, ")"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("the authorization server refused the login: ", why));
  }
  const std::string& code = answer("code");
  if (code.empty()) {
    return absl::InvalidArgumentError("the browser came back without a code");
  }
  return Finish(RequestToken(ctx.http, e, ctx.client,
                             {{"grant_type", "authorization_code"},
                              {"code", code},
                              {"redirect_uri", redirect_uri},
                              {"code_verifier", verifier}},
                             code));
}

}  // namespace

absl::StatusOr<TokenSet> DeviceLogin(const LoginContext& ctx) {
  const Endpoints& e = *ctx.endpoints;
  if (!e.server.device_authorization_endpoint.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the authorization server ", e.server.issuer,
                     " does not offer the device flow"));
  }
  FormParams form;
  if (!e.scope.empty()) form.emplace_back("scope", e.scope);
  if (!e.resource.empty()) form.emplace_back("resource", e.resource);
  std::vector<std::pair<std::string, std::string>> headers;
  form.emplace_back("client_id", ctx.client.client_id);
  absl::StatusOr<plugin::HttpResult> got = HttpPostForm(
      ctx.http, *e.server.device_authorization_endpoint, form, headers);
  if (!got.ok()) return got.status();
  // The answer holds the device_code, the secret the polling sends.
  nlohmann::json body = plugin::ParseJson(got->body);
  plugin::JsonWiper wipe_body(&body);
  // Looked at in place: a copy of the device_code would not be wiped.
  auto filled = [&body](const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() &&
           !it->get_ref<const std::string&>().empty();
  };
  if (got->status != 200 || !body.is_object() || !filled("device_code") ||
      !filled("user_code") || !filled("verification_uri")) {
    return absl::UnavailableError(
        absl::StrCat("the device authorization endpoint ",
                     *e.server.device_authorization_endpoint,
                     " gave no usable answer (HTTP ", got->status, ")"));
  }
  const SecretString device_code(
      body["device_code"].get_ref<const std::string&>());
  const int expires_in = body.value("expires_in", 600);
  int interval = std::max(1, body.value("interval", 5));
  plugin::host().login_device_code(
      ctx.session, body["user_code"].get<std::string>().c_str(),
      body["verification_uri"].get<std::string>().c_str(),
      body.value("verification_uri_complete", "").c_str(), expires_in);

  const absl::Time deadline = absl::Now() + absl::Seconds(expires_in);
  while (true) {
    // Sleep in small steps so a cancel is seen at once.
    const absl::Time next = absl::Now() + absl::Seconds(interval);
    while (absl::Now() < next) {
      if (Cancelled(ctx))
        return absl::CancelledError("the login was cancelled");
      absl::SleepFor(absl::Milliseconds(100));
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          "the device code expired before the login was approved: run "
          "'mcpcred login' again");
    }
    TokenResult result = RequestToken(
        ctx.http, e, ctx.client,
        {{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
         {"device_code", device_code.view()}},
        device_code.view());
    if (result.ok()) return std::move(result.tokens());
    switch (result.error().kind) {
      case TokenErrorKind::kAuthorizationPending:
        continue;
      case TokenErrorKind::kSlowDown:
        interval += 5;  // RFC 8628 section 3.5: for every later request
        continue;
      case TokenErrorKind::kExpiredToken:
        return absl::DeadlineExceededError(
            "the device code expired before the login was approved: run "
            "'mcpcred login' again");
      case TokenErrorKind::kAccessDenied:
        return absl::PermissionDeniedError("the login was refused");
      default:
        return ToStatus(result.error());
    }
  }
}

}  // namespace mcpcred::oauth2

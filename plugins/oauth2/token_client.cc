#include "plugins/oauth2/token_client.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "plugins/sdk/wipe_json.h"

namespace mcpcred::oauth2 {
namespace {

int64_t NowUnix(const HttpContext& ctx) {
  return plugin::host().now_ms(ctx.host) / 1000;
}

}  // namespace

TokenResult RequestToken(const HttpContext& ctx, const Endpoints& endpoints,
                         const ClientAuth& client, FormParams grant,
                         std::string_view secret) {
  if (!endpoints.resource.empty()) {
    grant.emplace_back("resource", endpoints.resource);
  }
  absl::StatusOr<FormParams> headers = AddClientAuthentication(
      client, endpoints.server.issuer, NowUnix(ctx), &grant);
  const std::string& url = endpoints.server.token_endpoint;
  if (!headers.ok()) {
    TokenError error;
    error.message = std::string(headers.status().message());
    return TokenResult(std::move(error));
  }
  absl::StatusOr<plugin::HttpResult> got =
      HttpPostForm(ctx, url, grant, *headers);
  if (!got.ok()) {
    TokenError error;
    error.kind = absl::IsUnavailable(got.status()) ? TokenErrorKind::kRetryable
                                                   : TokenErrorKind::kFatal;
    error.message = std::string(got.status().message());
    return TokenResult(std::move(error));
  }
  std::vector<std::string_view> secrets;
  if (!secret.empty()) secrets.push_back(secret);
  if (!client.client_secret.empty()) {
    secrets.push_back(client.client_secret.view());
  }
  return ParseTokenResponse(got->status, got->body, url, secrets);
}

absl::Status Revoke(const HttpContext& ctx, const Endpoints& endpoints,
                    const ClientAuth& client, std::string_view token,
                    const std::string& hint) {
  if (!endpoints.server.revocation_endpoint.has_value() || token.empty()) {
    return absl::OkStatus();
  }
  FormParams form = {{"token", token}, {"token_type_hint", hint}};
  absl::StatusOr<FormParams> headers = AddClientAuthentication(
      client, endpoints.server.issuer, NowUnix(ctx), &form);
  if (!headers.ok()) return headers.status();
  const std::string& url = *endpoints.server.revocation_endpoint;
  absl::StatusOr<plugin::HttpResult> got =
      HttpPostForm(ctx, url, form, *headers);
  if (!got.ok()) return got.status();
  // RFC 7009 section 2.2: 200 also for tokens that were already invalid.
  if (got->status != 200) {
    return absl::UnavailableError(absl::StrCat(
        "revoking the ", hint, " at ", url, " failed: HTTP ", got->status));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredClient> RegisterClient(const HttpContext& ctx,
                                            const Endpoints& endpoints,
                                            bool device_grant,
                                            int redirect_port) {
  if (!endpoints.server.registration_endpoint.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the authorization server ", endpoints.server.issuer,
        " does not offer dynamic client registration: set client_id"));
  }
  nlohmann::json request = {
      {"client_name", "mcpcred"},
      {"application_type", "native"},
      {"redirect_uris",
       {redirect_port == 0
            ? std::string("http://127.0.0.1/callback")
            : absl::StrCat("http://127.0.0.1:", redirect_port, "/callback")}},
      {"grant_types", {"authorization_code", "refresh_token"}},
      {"response_types", {"code"}},
      {"token_endpoint_auth_method", "none"},
  };
  if (device_grant) {  // only when the server has a device endpoint
    request["grant_types"].push_back(
        "urn:ietf:params:oauth:grant-type:device_code");
  }
  if (!endpoints.scope.empty()) request["scope"] = endpoints.scope;
  const std::string& url = *endpoints.server.registration_endpoint;
  absl::StatusOr<plugin::HttpResult> got =
      HttpPostJson(ctx, url, request.dump());
  if (!got.ok()) return got.status();
  // The answer holds the client_secret.
  nlohmann::json body = plugin::ParseJson(got->body);
  plugin::JsonWiper wipe_body(&body);
  if (got->status != 201 && got->status != 200) {
    std::string why = body.is_object() && body.contains("error_description") &&
                              body["error_description"].is_string()
                          ? body["error_description"].get<std::string>()
                          : "HTTP " + std::to_string(got->status);
    return (got->status >= 500 ? absl::UnavailableError
                               : absl::InvalidArgumentError)(absl::StrCat(
        "client registration at ", url, " failed: ", why.substr(0, 200)));
  }
  if (!body.is_object() || !body.contains("client_id") ||
      !body["client_id"].is_string()) {
    return absl::UnavailableError(
        absl::StrCat("client registration at ", url, " returned no client_id"));
  }
  StoredClient client;
  client.client_id = body["client_id"].get<std::string>();
  if (body.contains("client_secret") && body["client_secret"].is_string()) {
    client.client_secret.assign(
        body["client_secret"].get_ref<const std::string&>());
  }
  client.token_endpoint_auth_method =
      body.value("token_endpoint_auth_method", "");
  client.redirect_port = redirect_port;
  return client;
}

absl::StatusOr<SecretString> ExchangeForIdJag(
    const HttpContext& ctx, const std::string& token_endpoint,
    const ClientAuth& client, std::string_view subject_token,
    const std::string& subject_token_type, const std::string& audience,
    const std::string& resource, const std::string& scope) {
  FormParams form = {
      {"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
      {"requested_token_type", "urn:ietf:params:oauth:token-type:id-jag"},
      {"subject_token", subject_token},
      {"subject_token_type",
       "urn:ietf:params:oauth:token-type:" + subject_token_type},
      {"audience", audience}};
  if (!resource.empty()) form.emplace_back("resource", resource);
  if (!scope.empty()) form.emplace_back("scope", scope);
  absl::StatusOr<FormParams> headers =
      AddClientAuthentication(client, audience, NowUnix(ctx), &form);
  if (!headers.ok()) return headers.status();
  absl::StatusOr<plugin::HttpResult> got =
      HttpPostForm(ctx, token_endpoint, form, *headers);
  if (!got.ok()) return got.status();
  std::vector<std::string_view> secrets = {subject_token};
  if (!client.client_secret.empty()) {
    secrets.push_back(client.client_secret.view());
  }
  // The answer is shaped as a token response whose access_token is the
  // ID-JAG (its token_type "N_A").
  nlohmann::json body = plugin::ParseJson(got->body);
  plugin::JsonWiper wipe_body(&body);
  if (got->status == 200 && body.is_object() &&
      body.value("issued_token_type", "") ==
          "urn:ietf:params:oauth:token-type:id-jag" &&
      body.contains("access_token") && body["access_token"].is_string()) {
    return SecretString(body["access_token"].get_ref<const std::string&>());
  }
  TokenResult result =
      ParseTokenResponse(got->status == 200 ? 400 : got->status, got->body,
                         token_endpoint, secrets);
  if (!result.ok()) {
    return absl::Status(ToStatus(result.error()).code(),
                        absl::StrCat("the identity provider's token exchange "
                                     "failed: ",
                                     result.error().message));
  }
  return absl::UnavailableError(
      absl::StrCat("the token exchange at ", token_endpoint,
                   " returned no ID-JAG (issued_token_type)"));
}

}  // namespace mcpcred::oauth2

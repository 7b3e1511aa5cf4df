#include "plugins/oauth2/token_client.h"

#include <openssl/evp.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace mcpcred::oauth2 {
namespace {

std::string Base64(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Adds client authentication (RFC 6749 section 2.3.1: Basic with
// form-encoded id and secret) or the public client's id.
std::vector<std::pair<std::string, std::string>> Authenticate(
    const ClientAuth& client, FormParams* form) {
  if (client.client_secret.empty()) {
    form->emplace_back("client_id", client.client_id);
    return {};
  }
  return {{"Authorization",
           "Basic " + Base64(FormEncodeComponent(client.client_id) + ":" +
                             FormEncodeComponent(client.client_secret))}};
}

}  // namespace

TokenResult RequestToken(const HttpContext& ctx, const Endpoints& endpoints,
                         const ClientAuth& client, FormParams grant,
                         const std::string& secret) {
  if (!endpoints.resource.empty()) {
    grant.emplace_back("resource", endpoints.resource);
  }
  std::vector<std::pair<std::string, std::string>> headers =
      Authenticate(client, &grant);
  const std::string& url = endpoints.server.token_endpoint;
  absl::StatusOr<plugin::HttpResult> got =
      HttpPostForm(ctx, url, grant, headers);
  if (!got.ok()) {
    TokenError error;
    error.kind = absl::IsUnavailable(got.status()) ? TokenErrorKind::kRetryable
                                                   : TokenErrorKind::kFatal;
    error.message = std::string(got.status().message());
    return TokenResult(std::move(error));
  }
  std::vector<std::string_view> secrets;
  if (!secret.empty()) secrets.push_back(secret);
  if (!client.client_secret.empty()) secrets.push_back(client.client_secret);
  return ParseTokenResponse(got->status, got->body, url, secrets);
}

absl::Status Revoke(const HttpContext& ctx, const Endpoints& endpoints,
                    const ClientAuth& client, const std::string& token,
                    const std::string& hint) {
  if (!endpoints.server.revocation_endpoint.has_value() || token.empty()) {
    return absl::OkStatus();
  }
  FormParams form = {{"token", token}, {"token_type_hint", hint}};
  std::vector<std::pair<std::string, std::string>> headers =
      Authenticate(client, &form);
  const std::string& url = *endpoints.server.revocation_endpoint;
  absl::StatusOr<plugin::HttpResult> got =
      HttpPostForm(ctx, url, form, headers);
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
                                            bool device_grant) {
  if (!endpoints.server.registration_endpoint.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the authorization server ", endpoints.server.issuer,
        " does not offer dynamic client registration: set client_id"));
  }
  nlohmann::json request = {
      {"client_name", "mcpcred"},
      {"application_type", "native"},
      {"redirect_uris", {"http://127.0.0.1/callback"}},
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
  nlohmann::json body = nlohmann::json::parse(got->body, nullptr, false);
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
  client.client_secret = body.value("client_secret", "");
  return client;
}

}  // namespace mcpcred::oauth2

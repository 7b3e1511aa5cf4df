#include "plugins/oauth2/oauth2_config.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/url.h"

namespace mcpcred::oauth2 {
namespace {

absl::Status Bad(std::string* error_key, const std::string& key,
                 const std::string& message) {
  *error_key = key;
  return absl::InvalidArgumentError(message);
}

}  // namespace

absl::StatusOr<OAuth2Config> ParseOAuth2Config(const std::string& json,
                                               std::string* error_key) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return absl::InvalidArgumentError("malformed config");
  OAuth2Config c;
  c.resource = j.value("resource", "");
  c.client_id = j.value("client_id", "");
  c.client_secret_ref = j.value("client_secret", "");
  c.client_metadata_url = j.value("client_metadata_url", "");
  c.private_key_ref = j.value("private_key", "");
  c.account = j.value("account", "");
  c.login_hint = j.value("login_hint", "");
  c.idp_token_endpoint = j.value("idp_token_endpoint", "");
  c.idp_client_id = j.value("idp_client_id", "");
  c.idp_client_secret_ref = j.value("idp_client_secret", "");
  c.identity_assertion_ref = j.value("identity_assertion", "");
  c.identity_assertion_type = j.value("identity_assertion_type", "id_token");
  c.scopes = j.value("scopes", std::vector<std::string>());
  c.issuer = j.value("issuer", "");
  c.authorization_endpoint = j.value("authorization_endpoint", "");
  c.token_endpoint = j.value("token_endpoint", "");
  c.device_authorization_endpoint =
      j.value("device_authorization_endpoint", "");
  c.revocation_endpoint = j.value("revocation_endpoint", "");
  c.send_resource = j.value("send_resource", true);
  c.login_timeout_seconds = j.value("login_timeout_seconds", 120);
  c.allow_private_network = j.value("allow_private_network", false);

  std::string grant = j.value("grant", "authorization_code");
  if (grant == "authorization_code") {
    c.grant = Grant::kAuthorizationCode;
  } else if (grant == "device_code") {
    c.grant = Grant::kDeviceCode;
  } else if (grant == "client_credentials") {
    c.grant = Grant::kClientCredentials;
  } else if (grant == "id_jag") {
    c.grant = Grant::kIdJag;
  } else {
    return Bad(error_key, "grant",
               "must be \"authorization_code\", \"device_code\", "
               "\"client_credentials\" or \"id_jag\"");
  }
  std::string method = j.value("token_endpoint_auth_method", "");
  if (method.empty()) {
    c.auth_method = AuthMethod::kAuto;
  } else if (method == "none") {
    c.auth_method = AuthMethod::kNone;
  } else if (method == "client_secret_basic") {
    c.auth_method = AuthMethod::kClientSecretBasic;
  } else if (method == "client_secret_post") {
    c.auth_method = AuthMethod::kClientSecretPost;
  } else if (method == "private_key_jwt") {
    c.auth_method = AuthMethod::kPrivateKeyJwt;
  } else {
    return Bad(error_key, "token_endpoint_auth_method",
               "must be \"none\", \"client_secret_basic\", "
               "\"client_secret_post\" or \"private_key_jwt\"");
  }
  for (const char* key :
       {"resource", "issuer", "authorization_endpoint", "token_endpoint",
        "device_authorization_endpoint", "revocation_endpoint",
        "idp_token_endpoint", "client_metadata_url"}) {
    std::string value = j.value(key, "");
    if (!value.empty() && !ParseUrl(value).has_value()) {
      return Bad(error_key, key, "is not an http(s) URL");
    }
  }
  if (c.resource.empty() && c.issuer.empty() && c.token_endpoint.empty()) {
    return Bad(error_key, "resource",
               "set the MCP server URL (resource), or issuer, or explicit "
               "endpoints");
  }
  if (!c.client_metadata_url.empty() &&
      ParseUrl(c.client_metadata_url)->scheme != "https") {
    return Bad(error_key, "client_metadata_url",
               "must be an https URL (the client's metadata document)");
  }
  if (!c.private_key_ref.empty() && !c.client_secret_ref.empty()) {
    return Bad(error_key, "private_key",
               "set private_key or client_secret, not both");
  }
  if (!c.private_key_ref.empty() && c.client_id.empty()) {
    return Bad(error_key, "client_id", "private_key needs a client_id");
  }
  const bool has_credential =
      !c.client_secret_ref.empty() || !c.private_key_ref.empty();
  if (c.grant == Grant::kClientCredentials &&
      (c.client_id.empty() || !has_credential)) {
    return Bad(error_key, c.client_id.empty() ? "client_id" : "client_secret",
               "client_credentials needs a client_id and a client_secret or "
               "private_key");
  }
  if (c.auth_method == AuthMethod::kPrivateKeyJwt &&
      c.private_key_ref.empty()) {
    return Bad(error_key, "private_key",
               "token_endpoint_auth_method \"private_key_jwt\" needs a "
               "private_key");
  }
  if ((c.auth_method == AuthMethod::kClientSecretBasic ||
       c.auth_method == AuthMethod::kClientSecretPost) &&
      c.client_secret_ref.empty()) {
    return Bad(error_key, "client_secret",
               "this token_endpoint_auth_method needs a client_secret");
  }
  if (c.grant == Grant::kIdJag) {
    if (c.idp_token_endpoint.empty()) {
      return Bad(error_key, "idp_token_endpoint",
                 "grant \"id_jag\" needs the identity provider's token "
                 "endpoint");
    }
    if (c.identity_assertion_ref.empty()) {
      return Bad(error_key, "identity_assertion",
                 "grant \"id_jag\" needs the identity assertion (a "
                 "reference to the ID token)");
    }
    if (c.client_id.empty()) {
      return Bad(error_key, "client_id",
                 "grant \"id_jag\" needs the client_id registered at the "
                 "MCP authorization server");
    }
  }
  if (c.identity_assertion_type != "id_token" &&
      c.identity_assertion_type != "saml2") {
    return Bad(error_key, "identity_assertion_type",
               "must be \"id_token\" or \"saml2\"");
  }
  if (c.account.size() > 64 ||
      std::any_of(c.account.begin(), c.account.end(), [](char ch) {
        return !absl::ascii_isalnum(static_cast<unsigned char>(ch)) &&
               ch != '.' && ch != '_' && ch != '-' && ch != '@';
      })) {
    return Bad(error_key, "account",
               "may hold letters, digits, \".\", \"_\", \"-\" and \"@\" "
               "(at most 64)");
  }
  if (c.login_timeout_seconds < 10 || c.login_timeout_seconds > 3600) {
    return Bad(error_key, "login_timeout_seconds", "must be 10..3600");
  }
  return c;
}

}  // namespace mcpcred::oauth2

#include "plugins/oauth2/oauth2_config.h"

#include "absl/status/status.h"
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
  } else {
    return Bad(error_key, "grant",
               "must be \"authorization_code\", \"device_code\" or "
               "\"client_credentials\"");
  }
  for (const char* key :
       {"resource", "issuer", "authorization_endpoint", "token_endpoint",
        "device_authorization_endpoint", "revocation_endpoint"}) {
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
  if (c.grant == Grant::kClientCredentials && c.client_id.empty()) {
    return Bad(error_key, "client_id",
               "client_credentials needs a client_id and client_secret");
  }
  if (c.login_timeout_seconds < 10 || c.login_timeout_seconds > 3600) {
    return Bad(error_key, "login_timeout_seconds", "must be 10..3600");
  }
  return c;
}

}  // namespace mcpcred::oauth2

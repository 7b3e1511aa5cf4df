// The typed config of an "oauth2" credential, checked once at create().
#ifndef MCPCRED_PLUGINS_OAUTH2_OAUTH2_CONFIG_H_
#define MCPCRED_PLUGINS_OAUTH2_OAUTH2_CONFIG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcred::oauth2 {

enum class Grant { kAuthorizationCode, kDeviceCode, kClientCredentials };

struct OAuth2Config {
  std::string resource;  // the MCP server URL ("" with explicit endpoints)
  std::string client_id;
  std::string client_secret_ref;  // "env:..." etc., "" for a public client
  std::vector<std::string> scopes;
  Grant grant = Grant::kAuthorizationCode;
  // Explicit endpoints instead of discovery.
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string device_authorization_endpoint;
  std::string revocation_endpoint;
  bool send_resource = true;  // RFC 8707 `resource` parameter
  int login_timeout_seconds = 120;
  bool allow_private_network = false;
};

// Reads the JSON the host hands to create(). Errors name the key in
// *error_key: INVALID_ARGUMENT for a bad grant, a non-URL, no resource and no
// endpoints, or a timeout outside 10..3600 s.
absl::StatusOr<OAuth2Config> ParseOAuth2Config(const std::string& json,
                                               std::string* error_key);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_OAUTH2_CONFIG_H_

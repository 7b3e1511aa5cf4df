// The typed config of an "oauth2" credential, checked once at create().
#ifndef MCPCRED_PLUGINS_OAUTH2_OAUTH2_CONFIG_H_
#define MCPCRED_PLUGINS_OAUTH2_OAUTH2_CONFIG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcred::oauth2 {

// kIdJag is enterprise-managed authorization (cross-app access): an identity
// assertion is exchanged at the identity provider for an ID-JAG (RFC 8693),
// which is then a jwt-bearer grant (RFC 7523) at the MCP authorization server.
enum class Grant {
  kAuthorizationCode,
  kDeviceCode,
  kClientCredentials,
  kIdJag
};

// How the client authenticates at the token endpoint; kAuto picks from the
// registration and the server's token_endpoint_auth_methods_supported.
enum class AuthMethod {
  kAuto,
  kNone,
  kClientSecretBasic,
  kClientSecretPost,
  kPrivateKeyJwt
};

struct OAuth2Config {
  std::string resource;  // the MCP server URL ("" with explicit endpoints)
  std::string client_id;
  std::string client_secret_ref;  // "env:..." etc., "" for a public client
  // A Client ID Metadata Document's https URL, used as client_id where the
  // authorization server supports it.
  std::string client_metadata_url;
  AuthMethod auth_method = AuthMethod::kAuto;
  std::string private_key_ref;  // PEM (EC P-256 or RSA) for private_key_jwt
  // Names one of several logins to the same server ("" is the default one).
  std::string account;
  std::string login_hint;
  // Enterprise-managed authorization (grant = "id_jag").
  std::string idp_token_endpoint;
  std::string idp_client_id;
  std::string idp_client_secret_ref;
  std::string identity_assertion_ref;  // the ID token (or SAML assertion)
  std::string identity_assertion_type = "id_token";  // or "saml2"
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
// *error_key: INVALID_ARGUMENT for a bad grant or auth method, a non-URL, a
// client_metadata_url that is not https, no resource and no endpoints, a
// timeout outside 10..3600 s, an account name with other characters than
// letters, digits, ".", "_", "-" and "@", or a key a grant or auth method
// needs and does not have (each message says which).
absl::StatusOr<OAuth2Config> ParseOAuth2Config(const std::string& json,
                                               std::string* error_key);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_OAUTH2_CONFIG_H_

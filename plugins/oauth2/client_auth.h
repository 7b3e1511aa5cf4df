// The client's authentication at the token endpoint (RFC 6749 section
// 2.3.1, RFC 7523 section 2.2): which method, and what it adds to a request.
#ifndef MCPCRED_PLUGINS_OAUTH2_CLIENT_AUTH_H_
#define MCPCRED_PLUGINS_OAUTH2_CLIENT_AUTH_H_

#include <openssl/evp.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "mcpcred/common/secret_string.h"
#include "plugins/oauth2/discovery/form_encoding.h"
#include "plugins/oauth2/oauth2_config.h"

namespace mcpcred::oauth2 {

struct ClientAuth {
  std::string client_id;
  SecretString client_secret;             // "" for none and private_key_jwt
  AuthMethod method = AuthMethod::kNone;  // never kAuto once chosen
  EVP_PKEY* private_key = nullptr;        // not owned; for kPrivateKeyJwt
};

// The method to use: the configured one when set; private_key_jwt with a
// key; else the one the registration answered (`registered`, a
// token_endpoint_auth_method name or ""); none without a secret; else
// client_secret_basic, or client_secret_post when the server lists only
// that, or none when it lists only "none" (RFC 8414: an absent list means
// client_secret_basic).
AuthMethod ChooseAuthMethod(AuthMethod configured,
                            const std::string& registered, bool has_secret,
                            bool has_key,
                            const std::vector<std::string>& server_supported);

// "none", "client_secret_basic", ... ("" for kAuto).
std::string AuthMethodName(AuthMethod method);
// The inverse; kAuto for anything else.
AuthMethod AuthMethodFromName(const std::string& name);

// Adds the client's authentication to a token, revocation or introspection
// request: client_id in the form (none), an Authorization: Basic header of
// the form-encoded id and secret (client_secret_basic), client_id and
// client_secret in the form (client_secret_post), or client_id and a signed
// client assertion (private_key_jwt; iss and sub the client_id, aud
// `audience` (the issuer), 5 minutes, a random jti). Returns the headers to
// add, as pairs that wipe their values; INTERNAL when the key cannot sign.
absl::StatusOr<FormParams> AddClientAuthentication(const ClientAuth& client,
                                                   const std::string& audience,
                                                   int64_t now_unix,
                                                   FormParams* form);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_CLIENT_AUTH_H_

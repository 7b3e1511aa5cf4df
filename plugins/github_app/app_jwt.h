// The GitHub App JSON Web Token: RS256 over {"iat","exp","iss"}, signed with
// the app's private key (OpenSSL EVP).
#ifndef MCPCRED_PLUGINS_GITHUB_APP_APP_JWT_H_
#define MCPCRED_PLUGINS_GITHUB_APP_APP_JWT_H_

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "plugins/sdk/jws.h"

namespace mcpcred::github_app {

using plugin::Base64Url;  // base64url without padding (RFC 7515, section 2)
using plugin::PrivateKey;

// Parses a PEM private key; returns null and sets *why unless it is an RSA
// key (PKCS#1 or PKCS#8) of at least 2048 bits. *why never quotes the key.
PrivateKey ParseRsaPrivateKey(std::string_view pem, std::string* why);

// The app JWT for `app_id` at `now_unix`: iat 60 s in the past to allow for
// clock drift, exp 10 minutes after iat (GitHub's maximum). Returns "" if
// signing fails.
SecretString SignAppJwt(EVP_PKEY* key, int64_t app_id, int64_t now_unix);

}  // namespace mcpcred::github_app

#endif  // MCPCRED_PLUGINS_GITHUB_APP_APP_JWT_H_

// The GitHub App JSON Web Token: RS256 over {"iat","exp","iss"}, signed with
// the app's private key (OpenSSL EVP).
#ifndef MCPCRED_PLUGINS_GITHUB_APP_APP_JWT_H_
#define MCPCRED_PLUGINS_GITHUB_APP_APP_JWT_H_

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>

namespace mcpcred::github_app {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PrivateKey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Parses a PEM private key; returns null and sets *why unless it is an RSA
// key (PKCS#1 or PKCS#8) of at least 2048 bits. *why never quotes the key.
PrivateKey ParseRsaPrivateKey(const std::string& pem, std::string* why);

// The app JWT for `app_id` at `now_unix`: iat 60 s in the past to allow for
// clock drift, exp 10 minutes after iat (GitHub's maximum). Returns "" if
// signing fails.
std::string SignAppJwt(EVP_PKEY* key, int64_t app_id, int64_t now_unix);

// base64url without padding (RFC 7515, section 2).
std::string Base64Url(const std::string& data);

}  // namespace mcpcred::github_app

#endif  // MCPCRED_PLUGINS_GITHUB_APP_APP_JWT_H_

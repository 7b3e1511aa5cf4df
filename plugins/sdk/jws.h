// Compact JSON Web Signatures (RFC 7515) for the plugins that sign their own
// assertions: the GitHub App JWT, and OAuth client assertions
// (private_key_jwt, RFC 7523). Keys are PEM (PKCS#1, PKCS#8 or SEC 1); RSA
// keys sign RS256, EC P-256 keys ES256 (RFC 7518 section 3.4: the raw R||S
// signature, not DER). Thread-safe; never logs or returns key material.
#ifndef MCPCRED_PLUGINS_SDK_JWS_H_
#define MCPCRED_PLUGINS_SDK_JWS_H_

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "mcpcred/common/secret_string.h"

namespace mcpcred::plugin {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PrivateKey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Parses an unencrypted PEM private key; null with *why ("is not a PEM
// private key (or is encrypted)") otherwise. *why never quotes the key.
PrivateKey ParsePrivateKeyPem(std::string_view pem, std::string* why);

// "RS256" for an RSA key of at least 2048 bits, "ES256" for an EC P-256 key,
// else "" with *why saying what the key is not.
std::string JwsAlgorithm(EVP_PKEY* key, std::string* why);

// base64url without padding (RFC 7515 section 2).
std::string Base64Url(std::string_view data);

// header.payload.signature over {"alg": JwsAlgorithm(key), "typ": typ} and
// `payload_json`; "" when the key cannot sign. A signed JWS is a bearer
// credential (a client assertion, an app JWT): it and its signature are only
// ever in wiping buffers.
SecretString SignJws(EVP_PKEY* key, const std::string& typ,
                     const std::string& payload_json);

}  // namespace mcpcred::plugin

#endif  // MCPCRED_PLUGINS_SDK_JWS_H_

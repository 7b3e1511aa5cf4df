// Checks a GitHub App's PEM private key without OpenSSL, so that a bad key
// is still reported when the credential is loaded while the key itself is
// parsed (ParseRsaPrivateKey) only at the first token it signs: OpenSSL's
// first key parse in a process initialises its providers and decoders,
// about 2 MB of resident code, which an agent that mints no token does not
// need.
#ifndef MCPCRED_PLUGINS_GITHUB_APP_KEY_CHECK_H_
#define MCPCRED_PLUGINS_GITHUB_APP_KEY_CHECK_H_

#include <string>
#include <string_view>

namespace mcpcred::github_app {

// True if `pem` is, as far as its PEM armour and the first fields of its
// DER show, an unencrypted RSA private key (PKCS#1 "RSA PRIVATE KEY" or
// PKCS#8 "PRIVATE KEY") whose modulus has at least 2048 bits. Otherwise
// false, with *why the message ParseRsaPrivateKey gives for the same key.
// A key it accepts may still fail to parse (damage past its modulus); one
// it refuses never parses. *why never quotes the key.
bool CheckRsaKeyPem(std::string_view pem, std::string* why);

}  // namespace mcpcred::github_app

#endif  // MCPCRED_PLUGINS_GITHUB_APP_KEY_CHECK_H_

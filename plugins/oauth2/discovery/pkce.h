// PKCE (RFC 7636) and the other random values of an authorization request.
// Randomness comes from OpenSSL's RAND_bytes (a CSPRNG); hashing from EVP.
// Thread-safe.
//
// The form encoding the flows use with these (FormEncode, ParseQuery) lives
// in form_encoding.h, included here for convenience.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_PKCE_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_PKCE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "plugins/oauth2/discovery/form_encoding.h"

namespace mcpcred::oauth2 {

inline constexpr size_t kMinCodeVerifierLength = 43;
inline constexpr size_t kMaxCodeVerifierLength = 128;

// A code_verifier of `length` characters from the base64url alphabet (a
// subset of RFC 7636's unreserved characters), about 6 random bits each.
// INVALID_ARGUMENT when `length` is outside 43-128, INTERNAL when the random
// generator fails.
absl::StatusOr<std::string> NewCodeVerifier(size_t length = 64);

// The S256 code_challenge: BASE64URL(SHA-256(ASCII(verifier))) without
// padding, 43 characters. Returns "" only if OpenSSL cannot hash.
std::string S256Challenge(std::string_view verifier);

// A `state` (or `nonce`) value: 32 random bytes, base64url, 43 characters.
// INTERNAL when the random generator fails.
absl::StatusOr<std::string> NewState();

// Base64url without padding (RFC 4648 section 5, RFC 7636 appendix A).
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_PKCE_H_

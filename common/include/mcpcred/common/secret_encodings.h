// The forms a secret value takes when a program re-encodes it before printing
// it: JSON string escapes, base64 and base64url (also inside a longer encoded
// string, e.g. HTTP Basic "id:secret"), and percent / form encoding. A
// redactor that looks only for the plain bytes misses all of these.
//
// Thread-safe: pure functions.
#ifndef MCPCRED_COMMON_SECRET_ENCODINGS_H_
#define MCPCRED_COMMON_SECRET_ENCODINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "mcpcred/common/secret_string.h"

namespace mcpcred {

// The distinct byte strings that reveal `value` (the value itself first),
// without duplicates. For base64 and base64url the value may start at any of
// the three byte offsets of a 3-byte group inside a longer encoded string, so
// each offset gives the run of characters that depend on the value's bytes
// alone (the characters shared with neighbouring bytes are left out: they
// reveal at most 4 bits of the value each).
std::vector<SecretString> EncodedForms(std::string_view value);

// `value` as the inside of a JSON string, escaping as JSON encoders do by
// default: ", \ and control characters; `escape_slash` also writes / as \/,
// and `ascii_only` writes non-ASCII UTF-8 as \uXXXX (with surrogate pairs).
std::string JsonEscape(std::string_view value, bool escape_slash,
                       bool ascii_only);

// Standard base64 with padding (RFC 4648 section 4); `url` uses the URL-safe
// alphabet (section 5) without padding.
std::string Base64Encode(std::string_view bytes, bool url);

// Percent-encoding of every byte outside RFC 3986's unreserved set, in upper
// case hex; `form` writes a space as '+' (application/x-www-form-urlencoded).
std::string PercentEncode(std::string_view value, bool form);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_SECRET_ENCODINGS_H_

// Making untrusted text (a server's error_description, a value from a
// discovery document) safe to put in a one-line error message. Pure and
// thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_ONE_LINE_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_ONE_LINE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpcred::oauth2 {

// `text` with every control character (CR, LF, TAB, ESC...) replaced by a
// space and cut to at most `max_bytes` bytes plus "...", never in the middle
// of a UTF-8 sequence.
std::string OneLine(std::string_view text, size_t max_bytes);

// OneLine(text, 200) in double quotes.
std::string QuotedForMessage(std::string_view text);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_ONE_LINE_H_

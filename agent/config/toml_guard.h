// A guard in front of toml++ 3.3.0 (Debian 12's), which reaches
// __builtin_unreachable (undefined behaviour: a crash, or a wrong parse) when
// it asks whether some non-ASCII characters are whitespace (toml++ issues
// #190 and #295: is_non_ascii_horizontal_whitespace). It asks that of every
// character where whitespace may stand: anywhere outside strings and
// comments, and in a multi-line basic string right after a backslash or
// after the whitespace that a line-ending backslash trims.
//
// TOML allows no non-ASCII character in those places except the last one,
// so the guard refuses them all before toml++ sees the text: valid TOML
// refused is only `"""\` + newline + a non-ASCII character, which a person
// can write as a \uXXXX escape instead.
#ifndef MCPCRED_AGENT_CONFIG_TOML_GUARD_H_
#define MCPCRED_AGENT_CONFIG_TOML_GUARD_H_

#include <string_view>

#include "absl/status/status.h"

namespace mcpcred::config {

// OK when toml++ can parse `toml_text` safely, else InvalidArgument with one
// line "PATH:LINE:COLUMN: ..." (column in characters, as toml++ counts)
// naming the character's place and what to write instead.
absl::Status CheckTomlIsSafeToParse(std::string_view toml_text,
                                    std::string_view path);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_TOML_GUARD_H_

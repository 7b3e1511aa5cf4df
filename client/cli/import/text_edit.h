// Edits of a config file's text by byte spans: everything outside the spans
// (formatting, comments, keys mcpcred does not know) stays byte for byte.
// JSON objects and TOML tables are both seen as an ObjectSpan of members, so
// that one set of rules removes and adds members in either format.
//
// Thread-safe: functions only.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_TEXT_EDIT_H_
#define MCPCRED_CLIENT_CLI_IMPORT_TEXT_EDIT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcred::cli::import {

inline constexpr size_t kNoPosition = static_cast<size_t>(-1);

// Replace text[begin, end) with `replacement`.
struct TextEdit {
  size_t begin = 0;
  size_t end = 0;
  std::string replacement;
};

// Applies `edits`, given in any order. Returns INTERNAL if one is out of
// range or two overlap (edits may touch: one ending where the next begins).
absl::StatusOr<std::string> ApplyEdits(absl::string_view text,
                                       std::vector<TextEdit> edits);

// One key and its value in a JSON object or a TOML table, by byte offsets.
struct MemberSpan {
  std::string key;
  size_t begin = 0;            // the key's first byte (its quote, if quoted)
  size_t value_begin = 0;      // the value's first byte
  size_t end = 0;              // one past the value's last byte
  size_t comma = kNoPosition;  // the ',' that follows the value, if any
};

// A JSON object or a TOML inline table (members separated by commas between
// braces), or a TOML table under its [header] (one member per line).
struct ObjectSpan {
  size_t begin = 0;  // the '{' of braces; the header of a TOML table
  size_t end = 0;    // one past the '}'; one past the table's last member
  bool comma_separated = true;
  std::vector<MemberSpan> members;

  // The member named `key`, or null.
  const MemberSpan* Find(absl::string_view key) const;
};

// The edits that remove the members of `object` whose indices are in
// `remove`, leaving valid text: a member alone on its line goes with its
// line (and a comment after it on that line); commas are kept right. When
// every member of a comma-separated object goes, the object becomes
// `empty_object` (e.g. "{}").
std::vector<TextEdit> RemoveMembers(absl::string_view text,
                                    const ObjectSpan& object,
                                    const std::vector<size_t>& remove,
                                    absl::string_view empty_object);

// What to write after `member` to start another member after it in the same
// style: ",\n" and the member's indentation when it starts its line, ", "
// when it shares its line; for a TOML table "\n" and the indentation.
std::string SeparatorAfter(absl::string_view text, const ObjectSpan& object,
                           const MemberSpan& member);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_TEXT_EDIT_H_

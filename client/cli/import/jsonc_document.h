// A JSON-with-comments scanner that records where every value lies, so that
// a file can be edited by spans (text_edit.h) instead of re-serialised:
// VS Code's and Zed's settings allow // and /* */ comments and trailing
// commas, and every host's file keeps its own formatting.
//
// Thread-safe: functions only; a parsed tree is immutable.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_JSONC_DOCUMENT_H_
#define MCPCRED_CLIENT_CLI_IMPORT_JSONC_DOCUMENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "text_edit.h"

namespace mcpcred::cli::import {

struct JsonNode {
  enum class Kind { kObject, kArray, kString, kNumber, kLiteral };
  Kind kind = Kind::kLiteral;
  size_t begin = 0;  // first byte
  size_t end = 0;    // one past the last byte
  // kString: the decoded value (UTF-8).
  std::string string_value;
  // kObject: the members' spans; children[i] is members[i]'s value.
  ObjectSpan object;
  // kObject: the members' values; kArray: the elements.
  std::vector<std::unique_ptr<JsonNode>> children;

  // kObject: the value of member `key`, or null.
  const JsonNode* Get(absl::string_view key) const;
};

// Parses `text` (JSON, plus comments and trailing commas). Returns
// INVALID_ARGUMENT "line N: what is wrong" for text that is not that, or
// that nests deeper than 200 levels.
absl::StatusOr<std::unique_ptr<JsonNode>> ParseJsonc(absl::string_view text);

// `value` as a JSON string literal, quotes included; every control
// character (and DEL) escaped.
std::string JsonQuote(absl::string_view value);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_JSONC_DOCUMENT_H_

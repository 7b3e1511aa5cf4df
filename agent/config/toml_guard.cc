#include "agent/config/toml_guard.h"

#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"

namespace mcpcred::config {
namespace {

bool IsNonAscii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// Where in the text the scan is: TOML's lexical states that matter here.
enum class State {
  kCode,               // keys, values, table headers, whitespace
  kComment,            // from '#' to the end of the line
  kBasicString,        // "..."
  kLiteralString,      // '...'
  kMultiBasicString,   // """..."""
  kMultiLiteralString  // '''...'''
};

class Scanner {
 public:
  Scanner(std::string_view text, std::string_view path)
      : text_(text), path_(path) {}

  absl::Status Run() {
    // toml++ skips a UTF-8 byte order mark at the start.
    if (StartsWith("\xEF\xBB\xBF")) pos_ = start_ = 3;
    State state = State::kCode;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      switch (state) {
        case State::kCode: {
          if (IsNonAscii(c)) {
            return Error(
                "a non-ASCII character outside a string or comment; a bare "
                "key is ASCII letters, digits, '-' and '_' (quote the key: "
                "\"name\" = ...)");
          }
          const bool after_number_and_blank = number_then_blank_;
          if (in_number_) {
            if (!IsTerminator(c)) break;  // quotes too are part of it
            in_number_ = false;
            number_then_blank_ = c == ' ';
          } else if (c != ' ') {
            number_then_blank_ = false;
          }
          if (c == '#') {
            state = State::kComment;
          } else if ((c == '+' || c == '-' || (c >= '0' && c <= '9')) &&
                     AtTokenStart()) {
            in_number_ = true;
          } else if ((c == '"' || c == '\'') && AtTokenStart() &&
                     !after_number_and_blank) {
            const bool multi_line = StartsWith(c == '"' ? "\"\"\"" : "\'\'\'");
            state = c == '"' ? (multi_line ? State::kMultiBasicString
                                           : State::kBasicString)
                             : (multi_line ? State::kMultiLiteralString
                                           : State::kLiteralString);
            if (multi_line) Advance(2);
          }
          break;
        }
        case State::kComment:
          if (c == '\n') state = State::kCode;
          break;
        case State::kBasicString:
          if (c == '\\') {
            Advance(1);  // the escaped character, whatever it is
          } else if (c == '"' || c == '\n') {
            state = State::kCode;  // toml++ reports an unterminated string
          }
          break;
        case State::kLiteralString:
          if (c == '\'' || c == '\n') state = State::kCode;
          break;
        case State::kMultiBasicString:
          if (c == '\\') {
            if (absl::Status status = CheckAfterBackslash(); !status.ok()) {
              return status;
            }
            continue;  // CheckAfterBackslash moved past what it read
          }
          if (StartsWith("\"\"\"")) {
            Advance(2);
            SkipUpToTwo('"');  // """"" ends with up to two quotes in the text
            state = State::kCode;
          }
          break;
        case State::kMultiLiteralString:
          if (StartsWith("'''")) {
            Advance(2);
            SkipUpToTwo('\'');
            state = State::kCode;
          }
          break;
      }
      Advance(1);
    }
    return absl::OkStatus();
  }

 private:
  // At a backslash in a multi-line basic string: toml++ asks whether the
  // escaped character is whitespace, and after a line-ending backslash
  // whether each character is, up to the first one that is not.
  absl::Status CheckAfterBackslash() {
    Advance(1);
    if (pos_ >= text_.size()) return absl::OkStatus();
    const char escaped = text_[pos_];
    if (IsNonAscii(escaped)) {
      return Error(
          "a backslash before a non-ASCII character in a multi-line "
          "string (write the character as \\uXXXX)");
    }
    if (escaped != ' ' && escaped != '\t' && escaped != '\n' &&
        escaped != '\r') {
      Advance(1);  // an ordinary escape such as \" or \\ or \n
      return absl::OkStatus();
    }
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      Advance(1);
    }
    if (pos_ < text_.size() && IsNonAscii(text_[pos_])) {
      return Error(
          "a non-ASCII character first after a line-ending backslash in a "
          "multi-line string (write it as \\uXXXX, or end the line before "
          "the backslash)");
    }
    return absl::OkStatus();
  }

  // Where a key or a value may start: at the start of a line, or right
  // after a blank, '=', '.', ',', '[' or '{'.
  bool AtTokenStart() const {
    if (pos_ == start_) return true;
    switch (text_[pos_ - 1]) {
      case '\n':
      case ' ':
      case '\t':
      case '=':
      case '.':
      case ',':
      case '[':
      case '{':
        return true;
      default:
        return false;
    }
  }

  // What ends a value for toml++: TOML's whitespace, ']', '}', ',' or '#'.
  static bool IsTerminator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ']' ||
           c == '}' || c == ',' || c == '#';
  }

  bool StartsWith(std::string_view prefix) const {
    return text_.substr(pos_, prefix.size()) == prefix;
  }

  void SkipUpToTwo(char quote) {
    for (int i = 0;
         i < 2 && pos_ + 1 < text_.size() && text_[pos_ + 1] == quote; ++i) {
      Advance(1);
    }
  }

  // Moves n bytes on, keeping the line and the column (in characters: a
  // UTF-8 continuation byte does not start one) of text_[pos_].
  void Advance(size_t n) {
    for (; n > 0 && pos_ < text_.size(); --n) {
      const bool newline = text_[pos_] == '\n';
      ++pos_;
      if (newline) {
        ++line_;
        column_ = 1;
      } else if (pos_ < text_.size() &&
                 (static_cast<unsigned char>(text_[pos_]) & 0xc0) != 0x80) {
        ++column_;
      }
    }
  }

  absl::Status Error(const char* what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(path_), ":", line_, ":", column_, ": ", what));
  }

  std::string_view text_;
  std::string_view path_;
  size_t start_ = 0;  // after a byte order mark
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t column_ = 1;
  // In a token that starts with a digit or a sign (a number, a date or a
  // time; or a bare key such as 1a): toml++ reads such a token up to a
  // terminator before it looks at it, asking of every character whether
  // it terminates, quotes included. And a date then a blank reads on after
  // the blank, as a time may follow: number_then_blank_.
  bool in_number_ = false;
  bool number_then_blank_ = false;
};

}  // namespace

absl::Status CheckTomlIsSafeToParse(std::string_view toml_text,
                                    std::string_view path) {
  return Scanner(toml_text, path).Run();
}

}  // namespace mcpcred::config

#include "jsonc_document.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcpcred::cli::import {
namespace {

constexpr int kMaxDepth = 200;

class Scanner {
 public:
  explicit Scanner(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::unique_ptr<JsonNode>> Document() {
    absl::Status skipped = SkipBlanks();
    if (!skipped.ok()) return skipped;
    absl::StatusOr<std::unique_ptr<JsonNode>> root = Value(0);
    if (!root.ok()) return root.status();
    skipped = SkipBlanks();
    if (!skipped.ok()) return skipped;
    if (pos_ != text_.size()) return Error("unexpected text after the end");
    return root;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    int line = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') ++line;
    }
    return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", what));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  // Whitespace and comments.
  absl::Status SkipBlanks() {
    while (!AtEnd()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (text_.substr(pos_, 2) == "//") {
        while (!AtEnd() && text_[pos_] != '\n') ++pos_;
      } else if (text_.substr(pos_, 2) == "/*") {
        size_t close = text_.find("*/", pos_ + 2);
        if (close == absl::string_view::npos) {
          return Error("a /* comment is never closed");
        }
        pos_ = close + 2;
      } else {
        break;
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<JsonNode>> Value(int depth) {
    if (depth > kMaxDepth) return Error("nested too deeply");
    auto node = std::make_unique<JsonNode>();
    node->begin = pos_;
    char c = Peek();
    absl::Status status;
    if (c == '{') {
      node->kind = JsonNode::Kind::kObject;
      status = Object(node.get(), depth);
    } else if (c == '[') {
      node->kind = JsonNode::Kind::kArray;
      status = Array(node.get(), depth);
    } else if (c == '"') {
      node->kind = JsonNode::Kind::kString;
      status = String(&node->string_value);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      node->kind = JsonNode::Kind::kNumber;
      while (!AtEnd() &&
             absl::string_view("+-.eE0123456789").find(text_[pos_]) !=
                 absl::string_view::npos) {
        ++pos_;
      }
    } else {
      node->kind = JsonNode::Kind::kLiteral;
      bool matched = false;
      for (absl::string_view word : {"true", "false", "null"}) {
        if (text_.substr(pos_, word.size()) == word) {
          pos_ += word.size();
          matched = true;
          break;
        }
      }
      if (!matched) {
        status = Error(AtEnd() ? "the text ends where a value should be"
                               : "a value was expected here");
      }
    }
    if (!status.ok()) return status;
    node->end = pos_;
    return node;
  }

  absl::Status Object(JsonNode* node, int depth) {
    ++pos_;  // '{'
    node->object.begin = node->begin;
    node->object.comma_separated = true;
    while (true) {
      absl::Status status = SkipBlanks();
      if (!status.ok()) return status;
      if (Peek() == '}') break;
      if (Peek() != '"') return Error("a quoted key or '}' was expected");
      MemberSpan member;
      member.begin = pos_;
      status = String(&member.key);
      if (!status.ok()) return status;
      status = SkipBlanks();
      if (!status.ok()) return status;
      if (Peek() != ':') return Error("':' was expected after a key");
      ++pos_;
      status = SkipBlanks();
      if (!status.ok()) return status;
      member.value_begin = pos_;
      absl::StatusOr<std::unique_ptr<JsonNode>> value = Value(depth + 1);
      if (!value.ok()) return value.status();
      member.end = pos_;
      status = SkipBlanks();
      if (!status.ok()) return status;
      bool comma = Peek() == ',';
      if (comma) member.comma = pos_++;
      node->object.members.push_back(std::move(member));
      node->children.push_back(*std::move(value));
      if (!comma) {
        status = SkipBlanks();
        if (!status.ok()) return status;
        if (Peek() != '}') return Error("',' or '}' was expected");
        break;
      }
    }
    ++pos_;  // '}'
    node->object.end = pos_;
    return absl::OkStatus();
  }

  absl::Status Array(JsonNode* node, int depth) {
    ++pos_;  // '['
    while (true) {
      absl::Status status = SkipBlanks();
      if (!status.ok()) return status;
      if (Peek() == ']') break;
      absl::StatusOr<std::unique_ptr<JsonNode>> value = Value(depth + 1);
      if (!value.ok()) return value.status();
      node->children.push_back(*std::move(value));
      status = SkipBlanks();
      if (!status.ok()) return status;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() != ']') return Error("',' or ']' was expected");
      break;
    }
    ++pos_;  // ']'
    return absl::OkStatus();
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool Hex4(uint32_t* value) {
    if (pos_ + 4 > text_.size()) return false;
    *value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      *value = *value * 16 + digit;
    }
    return true;
  }

  // A string literal at pos_, decoded into *out. Never quotes the string in
  // an error: it may be a secret.
  absl::Status String(std::string* out) {
    ++pos_;  // '"'
    out->clear();
    while (true) {
      if (AtEnd()) return Error("a string is never closed");
      char c = text_[pos_++];
      if (c == '"') return absl::OkStatus();
      if (c == '\n') return Error("a string runs past the end of its line");
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (AtEnd()) return Error("a string is never closed");
      char escape = text_[pos_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out->push_back(escape);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return Error("a \\u escape needs 4 hex digits");
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t low;
            if (!Hex4(&low) || low < 0xDC00 || low >= 0xE000) {
              return Error("a \\u surrogate pair is broken");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Error("a string has an unknown escape");
      }
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

const JsonNode* JsonNode::Get(absl::string_view key) const {
  if (kind != Kind::kObject) return nullptr;
  for (size_t i = 0; i < object.members.size(); ++i) {
    if (object.members[i].key == key) return children[i].get();
  }
  return nullptr;
}

absl::StatusOr<std::unique_ptr<JsonNode>> ParseJsonc(absl::string_view text) {
  // A UTF-8 byte order mark may come first: scan a copy where it is
  // blanks, so that offsets stay those of `text`.
  if (text.substr(0, 3) != "\xEF\xBB\xBF") return Scanner(text).Document();
  std::string copy(text);
  copy.replace(0, 3, "   ");
  return Scanner(copy).Document();
}

std::string JsonQuote(absl::string_view value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

}  // namespace mcpcred::cli::import

#include "agent/config/template.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::config {
namespace {

bool IsVariableChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsVariableName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsVariableChar);
}

// Columns are 1-based so they match what an editor shows for the value.
std::string AtColumn(size_t index) {
  return absl::StrCat(" at column ", index + 1);
}

}  // namespace

absl::StatusOr<Template> Template::Parse(const std::string& text) {
  Template result;
  result.source_ = text;
  std::string literal;
  // Adjacent literal text (including escaped braces) becomes one part, so
  // Render() appends as few pieces as possible.
  auto flush_literal = [&result, &literal] {
    if (literal.empty()) return;
    result.parts_.push_back(Part{false, std::move(literal)});
    literal.clear();
  };

  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if ((c == '{' || c == '}') && doubled) {
      literal.push_back(c);
      i += 2;
      continue;
    }
    if (c == '}') {
      return absl::InvalidArgumentError(absl::StrCat(
          "template has a lone \"}\"", AtColumn(i), " (write \"}}\")"));
    }
    if (c != '{') {
      literal.push_back(c);
      ++i;
      continue;
    }
    const size_t close = text.find('}', i + 1);
    if (close == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "template has an unclosed \"{\"", AtColumn(i), " (write \"{{\")"));
    }
    std::string name = text.substr(i + 1, close - i - 1);
    if (name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("template has an empty \"{}\"", AtColumn(i)));
    }
    if (!IsVariableName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "template variable \"", absl::CHexEscape(name), "\"", AtColumn(i),
          " is not a valid name (lower-case letters, digits and _)"));
    }
    flush_literal();
    if (std::find(result.variables_.begin(), result.variables_.end(), name) ==
        result.variables_.end()) {
      result.variables_.push_back(name);
    }
    result.parts_.push_back(Part{true, std::move(name)});
    i = close + 1;
  }
  flush_literal();
  return result;
}

absl::StatusOr<SecretString> Template::Render(
    const std::map<std::string, SecretString>& values) const {
  SecretString out;
  for (const Part& part : parts_) {
    if (!part.is_variable) {
      out += part.text;
      continue;
    }
    auto it = values.find(part.text);
    if (it == values.end()) {
      // Only the name: the other values may be secrets.
      return absl::FailedPreconditionError(
          absl::StrCat("template variable \"", part.text, "\" has no value"));
    }
    out += it->second;
  }
  return out;
}

}  // namespace mcpcred::config

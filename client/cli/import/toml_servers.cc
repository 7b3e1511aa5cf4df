// toml++ is used here alone, header-only and without exceptions.
#include "toml_servers.h"

#include <toml++/toml.h>

#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "jsonc_document.h"

namespace mcpcred::cli::import {
namespace {

// toml++ positions (1-based line, column in code points) to byte offsets.
class LineIndex {
 public:
  explicit LineIndex(absl::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  size_t Offset(const toml::source_position& position) const {
    size_t line = position.line == 0 ? 0 : position.line - 1;
    if (line >= starts_.size()) return text_.size();
    size_t pos = starts_[line];
    for (size_t column = 1; column < position.column && pos < text_.size();
         ++column) {
      // Past one code point: its lead byte and continuation bytes.
      ++pos;
      while (pos < text_.size() &&
             (static_cast<unsigned char>(text_[pos]) & 0xC0) == 0x80) {
        ++pos;
      }
    }
    return pos;
  }

 private:
  absl::string_view text_;
  std::vector<size_t> starts_;
};

absl::Status ParseError(const toml::parse_error& error) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", static_cast<uint64_t>(error.source().begin.line),
                   ": ", std::string(error.description())));
}

// The members of `table` as spans; comma positions found in `text`.
ObjectSpan Span(absl::string_view text, const LineIndex& index,
                const toml::table& table) {
  ObjectSpan span;
  span.comma_separated = table.is_inline();
  span.begin = index.Offset(table.source().begin);
  span.end = index.Offset(table.source().end);
  for (const auto& [key, node] : table) {
    // A [header] table, or [[header]] tables, lie elsewhere in the file
    // than their parent's members.
    const toml::table* sub = node.as_table();
    if (sub != nullptr && !sub->is_inline()) continue;
    const toml::array* array = node.as_array();
    if (array != nullptr && array->is_array_of_tables() && !array->empty() &&
        !(*array)[0].as_table()->is_inline()) {
      continue;
    }
    MemberSpan member;
    member.key = std::string(key.str());
    member.begin = index.Offset(key.source().begin);
    member.value_begin = index.Offset(node.source().begin);
    member.end = index.Offset(node.source().end);
    if (span.comma_separated) {
      size_t pos = member.end;
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
        ++pos;
      }
      if (pos < text.size() && text[pos] == ',') member.comma = pos;
    }
    span.members.push_back(std::move(member));
  }
  // toml++ keeps keys sorted; the text has them in file order.
  std::sort(span.members.begin(), span.members.end(),
            [](const MemberSpan& a, const MemberSpan& b) {
              return a.begin < b.begin;
            });
  return span;
}

std::optional<StringTable> Table(absl::string_view text, const LineIndex& index,
                                 const toml::node* node) {
  const toml::table* table = node == nullptr ? nullptr : node->as_table();
  if (table == nullptr) return std::nullopt;
  StringTable out;
  out.span = Span(text, index, *table);
  out.separate = !table->is_inline();
  for (const MemberSpan& member : out.span.members) {
    const toml::node* value = table->get(member.key);
    std::optional<std::string> string;
    if (value != nullptr && value->is_string()) {
      string = std::string(value->as_string()->get());
    }
    out.values.push_back(std::move(string));
  }
  return out;
}

std::optional<std::string> StringAt(const toml::table& table,
                                    absl::string_view key) {
  const toml::node* node = table.get(std::string_view(key.data(), key.size()));
  if (node == nullptr || !node->is_string()) return std::nullopt;
  return std::string(node->as_string()->get());
}

}  // namespace

absl::StatusOr<std::vector<ServerEntry>> ScanTomlServers(
    absl::string_view text) {
  toml::parse_result parsed =
      toml::parse(std::string_view(text.data(), text.size()));
  if (!parsed) return ParseError(parsed.error());
  LineIndex index(text);
  std::vector<ServerEntry> servers;
  const toml::array* array = parsed.table()["mcp"]["servers"].as_array();
  if (array == nullptr) return servers;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) continue;
    ServerEntry entry;
    entry.where = absl::StrCat("mcp.servers[", i, "]");
    entry.name = StringAt(*table, "name").value_or(entry.where);
    entry.entry = Span(text, index, *table);
    entry.command = StringAt(*table, "command");
    entry.url = StringAt(*table, "url");
    if (const toml::array* args = table->get_as<toml::array>("args")) {
      for (const toml::node& arg : *args) {
        entry.args.push_back(arg.is_string()
                                 ? std::string(arg.as_string()->get())
                                 : std::string());
      }
    }
    entry.env = Table(text, index, table->get("env"));
    entry.headers = Table(text, index, table->get("headers"));
    servers.push_back(std::move(entry));
  }
  return servers;
}

absl::StatusOr<std::vector<std::string>> TomlTableKeys(
    absl::string_view text, absl::string_view table) {
  toml::parse_result parsed =
      toml::parse(std::string_view(text.data(), text.size()));
  if (!parsed) return ParseError(parsed.error());
  std::vector<std::string> keys;
  const toml::table* found =
      parsed.table()[std::string_view(table.data(), table.size())].as_table();
  if (found == nullptr) return keys;
  for (const auto& [key, node] : *found) keys.emplace_back(key.str());
  return keys;
}

std::string TomlQuote(absl::string_view value) {
  // JSON's escapes are all TOML basic-string escapes, and JsonQuote escapes
  // every control character TOML forbids raw.
  return JsonQuote(value);
}

std::string TomlKey(absl::string_view key) {
  bool bare = !key.empty();
  for (char c : key) {
    bare = bare && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '-');
  }
  return bare ? std::string(key) : TomlQuote(key);
}

}  // namespace mcpcred::cli::import

#include "json_servers.h"

#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "jsonc_document.h"

namespace mcpcred::cli::import {
namespace {

bool IsIdentifier(absl::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string PathStep(const std::string& where, absl::string_view key) {
  if (IsIdentifier(key)) {
    return where.empty() ? std::string(key) : absl::StrCat(where, ".", key);
  }
  return absl::StrCat(where, "[", JsonQuote(key), "]");
}

std::optional<StringTable> Table(const JsonNode* node) {
  if (node == nullptr || node->kind != JsonNode::Kind::kObject) {
    return std::nullopt;
  }
  StringTable table;
  table.span = node->object;
  for (const auto& child : node->children) {
    if (child->kind == JsonNode::Kind::kString) {
      table.values.push_back(child->string_value);
    } else {
      table.values.push_back(std::nullopt);
    }
  }
  return table;
}

std::optional<std::string> StringAt(const JsonNode& entry,
                                    absl::string_view key) {
  const JsonNode* node = entry.Get(key);
  if (node == nullptr || node->kind != JsonNode::Kind::kString) {
    return std::nullopt;
  }
  return node->string_value;
}

ServerEntry Entry(const std::string& name, const std::string& where,
                  const JsonNode& node) {
  ServerEntry entry;
  entry.name = name;
  entry.where = where;
  entry.entry = node.object;
  entry.command = StringAt(node, "command");
  entry.url = StringAt(node, "url");
  if (!entry.url.has_value()) entry.url = StringAt(node, "serverUrl");
  const JsonNode* args = node.Get("args");
  if (args != nullptr && args->kind == JsonNode::Kind::kArray) {
    for (const auto& arg : args->children) {
      entry.args.push_back(arg->kind == JsonNode::Kind::kString
                               ? arg->string_value
                               : std::string());
    }
  }
  entry.env = Table(node.Get("env"));
  entry.headers = Table(node.Get("headers"));
  entry.has_headers_helper = node.Get("headersHelper") != nullptr;
  return entry;
}

void Walk(const JsonNode& node, const std::vector<std::string>& path,
          size_t depth, const std::string& where,
          std::vector<ServerEntry>* out) {
  if (node.kind != JsonNode::Kind::kObject) return;
  if (depth == path.size()) {
    for (size_t i = 0; i < node.object.members.size(); ++i) {
      const JsonNode& value = *node.children[i];
      if (value.kind != JsonNode::Kind::kObject) continue;
      const std::string& name = node.object.members[i].key;
      out->push_back(Entry(name, PathStep(where, name), value));
    }
    return;
  }
  for (size_t i = 0; i < node.object.members.size(); ++i) {
    const std::string& key = node.object.members[i].key;
    if (path[depth] != "*" && path[depth] != key) continue;
    Walk(*node.children[i], path, depth + 1, PathStep(where, key), out);
  }
}

}  // namespace

absl::StatusOr<std::vector<ServerEntry>> ScanJsonServers(
    absl::string_view text, const std::vector<std::vector<std::string>>& maps) {
  absl::StatusOr<std::unique_ptr<JsonNode>> root = ParseJsonc(text);
  if (!root.ok()) return root.status();
  std::vector<ServerEntry> servers;
  for (const std::vector<std::string>& path : maps) {
    Walk(**root, path, 0, "", &servers);
  }
  return servers;
}

}  // namespace mcpcred::cli::import

// One MCP server entry of a host's config file as `mcpcred import` sees it,
// whatever the file's format: what it runs or connects to, its env and
// headers, and where each part lies in the text (text_edit.h).
#ifndef MCPCRED_CLIENT_CLI_IMPORT_SERVER_ENTRY_H_
#define MCPCRED_CLIENT_CLI_IMPORT_SERVER_ENTRY_H_

#include <optional>
#include <string>
#include <vector>

#include "text_edit.h"

namespace mcpcred::cli::import {

// A table of string values (env or headers). `values[i]` belongs to
// `span.members[i]`; nullopt for a value that is not a string.
struct StringTable {
  ObjectSpan span;
  std::vector<std::optional<std::string>> values;
  // True when the table is written apart from its entry (a TOML
  // [mcp.servers.env] table) rather than as one of its members.
  bool separate = false;
};

struct ServerEntry {
  std::string name;
  // Where the entry is, for people: `mcpServers.github`,
  // `projects["/home/me/app"].mcpServers.github`, `mcp.servers[2]`.
  std::string where;
  ObjectSpan entry;
  std::optional<std::string> command;
  std::vector<std::string> args;
  std::optional<std::string> url;
  std::optional<StringTable> env;
  std::optional<StringTable> headers;
  bool has_headers_helper = false;
};

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_SERVER_ENTRY_H_

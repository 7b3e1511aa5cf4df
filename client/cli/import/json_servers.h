// Finds the MCP server entries of a JSON(C) host config (Claude Code, Claude
// Desktop, VS Code, Cursor, Zed).
//
// Thread-safe: functions only.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_JSON_SERVERS_H_
#define MCPCRED_CLIENT_CLI_IMPORT_JSON_SERVERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server_entry.h"

namespace mcpcred::cli::import {

// Every entry of the objects at `maps` in `text`, each map a path of keys
// from the root ("*" matches every key: {"projects", "*", "mcpServers"}) to
// an object of name -> server entry. Entries that are not objects are
// skipped. INVALID_ARGUMENT "line N: ..." when `text` is not JSON(C).
absl::StatusOr<std::vector<ServerEntry>> ScanJsonServers(
    absl::string_view text, const std::vector<std::vector<std::string>>& maps);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_JSON_SERVERS_H_

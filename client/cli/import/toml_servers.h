// Finds the MCP server entries of a gptme config (`[[mcp.servers]]` tables
// in config.toml or a project's gptme.toml), with byte spans for editing,
// and writes TOML values the same way.
//
// Thread-safe: functions only.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_TOML_SERVERS_H_
#define MCPCRED_CLIENT_CLI_IMPORT_TOML_SERVERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server_entry.h"

namespace mcpcred::cli::import {

// Every table of the array `mcp.servers` in `text`, named by its `name`.
// INVALID_ARGUMENT "line N: ..." when `text` is not TOML.
absl::StatusOr<std::vector<ServerEntry>> ScanTomlServers(
    absl::string_view text);

// The keys of the table `table` of the TOML document `text` (for the
// `[credential.NAME]` tables of an mcpcred config). INVALID_ARGUMENT
// "line N: ..." when `text` is not TOML.
absl::StatusOr<std::vector<std::string>> TomlTableKeys(absl::string_view text,
                                                       absl::string_view table);

// `value` as a TOML basic string, quotes included.
std::string TomlQuote(absl::string_view value);
// `key` bare when it can be, else quoted.
std::string TomlKey(absl::string_view key);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_TOML_SERVERS_H_

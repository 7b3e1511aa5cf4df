// Where the MCP hosts on this machine keep their server configs, and reading
// them. $HOME, $XDG_CONFIG_HOME (else ~/.config) and the current directory
// decide where to look:
//   Claude Code     ~/.claude.json (mcpServers, projects[PATH].mcpServers),
//                   ./.mcp.json (mcpServers)
//   Claude Desktop  $XDG_CONFIG_HOME/Claude/claude_desktop_config.json
//   VS Code         ./.vscode/mcp.json, $XDG_CONFIG_HOME/Code/User/mcp.json
//                   (servers)
//   Cursor          ~/.cursor/mcp.json (mcpServers)
//   gptme           $XDG_CONFIG_HOME/gptme/config.toml, ./gptme.toml
//                   ([[mcp.servers]])
//   Zed             $XDG_CONFIG_HOME/zed/settings.json (context_servers)
//
// Thread-safe: functions only (PlacesFromEnvironment reads the environment).
#ifndef MCPCRED_CLIENT_CLI_IMPORT_HOST_FILES_H_
#define MCPCRED_CLIENT_CLI_IMPORT_HOST_FILES_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server_entry.h"

namespace mcpcred::cli::import {

struct HostFile {
  std::string host;  // "Claude Code"
  std::string path;
  bool toml = false;
  // JSON: paths of keys to the objects of name -> server ("*": any key).
  std::vector<std::vector<std::string>> server_maps;
  // The host runs a command for an HTTP server's headers (Claude Code's
  // headersHelper); others get a stdio entry running mcpcred-remote.
  bool headers_helper = false;
};

struct Places {
  std::string home;
  std::string config_home;  // $XDG_CONFIG_HOME, else HOME/.config
  std::string cwd;
};

// From $HOME, $XDG_CONFIG_HOME and the working directory.
// FAILED_PRECONDITION when $HOME is not set.
absl::StatusOr<Places> PlacesFromEnvironment();

// Every file a host may read, existing or not, each path once.
std::vector<HostFile> HostFiles(const Places& places);

struct ScannedFile {
  HostFile file;
  std::string text;
  mode_t mode = 0600;
  std::vector<ServerEntry> servers;
};

struct ScanResult {
  std::vector<ScannedFile> files;  // those that exist and parse
  // One line per file that exists but cannot be read or parsed:
  // "PATH: line N: what is wrong". Never holds a value of the file.
  std::vector<std::string> errors;
};

// Reads and scans each of `files` that exists.
ScanResult ScanHostFiles(const std::vector<HostFile>& files);

// Scans `text` as `file` would be.
absl::StatusOr<std::vector<ServerEntry>> ScanText(const HostFile& file,
                                                  absl::string_view text);

// `path` with a leading $HOME written "~", for messages.
std::string ShortPath(const Places& places, const std::string& path);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_HOST_FILES_H_

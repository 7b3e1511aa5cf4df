#include "host_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "json_servers.h"
#include "mcpcred/common/atomic_file.h"
#include "toml_servers.h"

namespace mcpcred::cli::import {
namespace {

// ~/.claude.json grows with history; far beyond any real host config.
constexpr size_t kMaxConfigBytes = 64 << 20;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

absl::StatusOr<Places> PlacesFromEnvironment() {
  Places places;
  places.home = Env("HOME");
  if (places.home.empty()) {
    return absl::FailedPreconditionError(
        "$HOME is not set: it says where the host configs are");
  }
  places.config_home = Env("XDG_CONFIG_HOME");
  if (places.config_home.empty()) places.config_home = places.home + "/.config";
  char buffer[4096];
  if (getcwd(buffer, sizeof(buffer)) != nullptr) places.cwd = buffer;
  return places;
}

std::vector<HostFile> HostFiles(const Places& places) {
  const std::vector<std::vector<std::string>> mcp_servers = {{"mcpServers"}};
  std::vector<HostFile> files = {
      {"Claude Code",
       places.home + "/.claude.json",
       false,
       {{"mcpServers"}, {"projects", "*", "mcpServers"}},
       true},
      {"Claude Desktop",
       places.config_home + "/Claude/claude_desktop_config.json", false,
       mcp_servers, false},
      {"VS Code",
       places.config_home + "/Code/User/mcp.json",
       false,
       {{"servers"}},
       false},
      {"Cursor", places.home + "/.cursor/mcp.json", false, mcp_servers, false},
      {"gptme", places.config_home + "/gptme/config.toml", true, {}, false},
      {"Zed",
       places.config_home + "/zed/settings.json",
       false,
       {{"context_servers"}},
       false},
  };
  if (!places.cwd.empty()) {
    files.push_back(
        {"Claude Code", places.cwd + "/.mcp.json", false, mcp_servers, true});
    files.push_back({"VS Code",
                     places.cwd + "/.vscode/mcp.json",
                     false,
                     {{"servers"}},
                     false});
    files.push_back({"gptme", places.cwd + "/gptme.toml", true, {}, false});
  }
  std::vector<HostFile> unique;
  std::set<std::string> seen;
  for (HostFile& file : files) {
    if (seen.insert(file.path).second) unique.push_back(std::move(file));
  }
  return unique;
}

absl::StatusOr<std::vector<ServerEntry>> ScanText(const HostFile& file,
                                                  absl::string_view text) {
  if (file.toml) return ScanTomlServers(text);
  return ScanJsonServers(text, file.server_maps);
}

ScanResult ScanHostFiles(const std::vector<HostFile>& files) {
  ScanResult result;
  for (const HostFile& file : files) {
    struct stat st;
    absl::StatusOr<std::string> text =
        ReadWholeFile(file.path, kMaxConfigBytes, &st);
    if (absl::IsNotFound(text.status())) continue;
    if (!text.ok()) {
      result.errors.push_back(std::string(text.status().message()));
      continue;
    }
    absl::StatusOr<std::vector<ServerEntry>> servers = ScanText(file, *text);
    if (!servers.ok()) {
      result.errors.push_back(
          absl::StrCat(file.path, ": ", servers.status().message()));
      continue;
    }
    ScannedFile scanned;
    scanned.file = file;
    scanned.text = *std::move(text);
    scanned.mode = st.st_mode & 07777;
    scanned.servers = *std::move(servers);
    result.files.push_back(std::move(scanned));
  }
  return result;
}

std::string ShortPath(const Places& places, const std::string& path) {
  if (!places.home.empty() && absl::StartsWith(path, places.home + "/")) {
    return absl::StrCat("~", path.substr(places.home.size()));
  }
  return path;
}

}  // namespace mcpcred::cli::import

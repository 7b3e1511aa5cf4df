#include "mcpcred/common/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/status/status.h"

namespace mcpcred {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string HomeDir() {
  std::string home = EnvOrEmpty("HOME");
  if (!home.empty()) return home;
  // No $HOME (e.g. a bare systemd service): fall back to the password entry.
  struct passwd* pw = getpwuid(getuid());
  return pw != nullptr && pw->pw_dir != nullptr ? std::string(pw->pw_dir)
                                                : std::string();
}

// $XDG_<name>, else $HOME/<fallback>, then "/mcpcred".
absl::StatusOr<std::string> XdgDir(const char* variable, const char* fallback) {
  std::string base = EnvOrEmpty(variable);
  if (base.empty()) {
    std::string home = HomeDir();
    if (home.empty()) {
      return absl::FailedPreconditionError(std::string("neither $") + variable +
                                           " nor $HOME is set");
    }
    base = home + "/" + fallback;
  }
  return base + "/mcpcred";
}

}  // namespace

absl::StatusOr<std::string> DefaultSocketPath() {
  std::string sock = EnvOrEmpty("MCPCRED_SOCK");
  if (!sock.empty()) return sock;
  std::string runtime = EnvOrEmpty("XDG_RUNTIME_DIR");
  if (runtime.empty()) {
    return absl::FailedPreconditionError(
        "cannot find the agent socket: neither $MCPCRED_SOCK nor "
        "$XDG_RUNTIME_DIR is set");
  }
  return runtime + "/mcpcred/agent.sock";
}

absl::StatusOr<std::string> DefaultConfigPath() {
  std::string config = EnvOrEmpty("MCPCRED_CONFIG");
  if (!config.empty()) return config;
  absl::StatusOr<std::string> dir = XdgDir("XDG_CONFIG_HOME", ".config");
  if (!dir.ok()) return dir.status();
  return *dir + "/config.toml";
}

absl::StatusOr<std::string> DefaultStateDir() {
  return XdgDir("XDG_STATE_HOME", ".local/state");
}

std::string ExpandHome(const std::string& path) {
  if (path == "~") return HomeDir();
  if (path.rfind("~/", 0) == 0) return HomeDir() + path.substr(1);
  return path;
}

}  // namespace mcpcred

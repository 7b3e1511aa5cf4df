// Where mcpcred's files live, per the XDG base directory spec. Shared by the
// agent and its clients so both sides agree on the socket.
//
// Thread-safe: every function reads the environment only.
#ifndef MCPCRED_COMMON_PATHS_H_
#define MCPCRED_COMMON_PATHS_H_

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred {

// The agent socket: $MCPCRED_SOCK, else $XDG_RUNTIME_DIR/mcpcred/agent.sock.
// Returns FAILED_PRECONDITION if neither variable is set.
absl::StatusOr<std::string> DefaultSocketPath();

// The config file: $MCPCRED_CONFIG, else $XDG_CONFIG_HOME/mcpcred/config.toml,
// else ~/.config/mcpcred/config.toml.
absl::StatusOr<std::string> DefaultConfigPath();

// The state directory: $XDG_STATE_HOME/mcpcred, else ~/.local/state/mcpcred.
absl::StatusOr<std::string> DefaultStateDir();

// Expands a leading "~/" to $HOME. Other paths are returned unchanged.
std::string ExpandHome(const std::string& path);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_PATHS_H_

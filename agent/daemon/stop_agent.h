// mcpcred-agent -k: asks the agent on a socket for its pid and stops it.
#ifndef MCPCRED_AGENT_DAEMON_STOP_AGENT_H_
#define MCPCRED_AGENT_DAEMON_STOP_AGENT_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred {

// Sends SIGTERM to the agent answering on `socket_path` and waits (up to 5 s)
// for its socket to go away. Returns its pid, or UNAVAILABLE if no agent
// answers there.
absl::StatusOr<pid_t> StopAgent(const std::string& socket_path);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_STOP_AGENT_H_

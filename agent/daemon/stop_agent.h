// mcpcred-agent -k: stops the agent on a socket.
#ifndef MCPCRED_AGENT_DAEMON_STOP_AGENT_H_
#define MCPCRED_AGENT_DAEMON_STOP_AGENT_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred {

// Connects to `socket_path` as a client does (ConnectToTrustedAgent: safe
// directories, a listener of this uid), asks the agent for its status on
// that connection, and sends SIGTERM to the pid the kernel names as the
// listener (SO_PEERCRED) — never a pid from the environment or from the
// answer, which only has to agree with it. Then waits (up to 5 s) for the
// socket to go away. Returns the pid stopped. Errors:
//   UNAVAILABLE if no agent answers there;
//   PERMISSION_DENIED if the listener is refused (another uid, an unsafe
//     directory), or if the pid it claims is not the listener's (e.g. a
//     socket systemd listens on: stop that agent with systemctl);
//   a failed kill() as PERMISSION_DENIED too.
absl::StatusOr<pid_t> StopAgent(const std::string& socket_path);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_STOP_AGENT_H_

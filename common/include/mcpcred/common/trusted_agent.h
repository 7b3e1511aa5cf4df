// Connecting to the agent the way every client must: the client itself
// connects the Unix socket and asks the kernel (SO_PEERCRED) who listens there
// before anything is sent, so an impostor socket never sees a request. The
// connected socket is then handed on (to gRPC, see client/lib), so nothing can
// swap the agent between the check and the use.
//
// Who is trusted: an agent that runs as this process's effective uid, and no
// one else. Root's agent is trusted by root's clients only, since that is the
// same uid; an ordinary user's client refuses root's agent too, because an
// agent of another uid serves someone else's credentials.
//
// Thread-safe: no shared state.
#ifndef MCPCRED_COMMON_TRUSTED_AGENT_H_
#define MCPCRED_COMMON_TRUSTED_AGENT_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred {

// A connected, verified socket. The caller owns `fd` (close-on-exec,
// blocking) and must close it or hand it on.
struct TrustedAgentSocket {
  int fd = -1;
  // The process that listens on the socket, from SO_PEERCRED: what the kernel
  // recorded when it called listen(), not anything it says.
  pid_t pid = 0;
  uid_t uid = 0;
};

// Checks the socket's directories (CheckSocketDirectories), connects, and
// checks the listener's uid. Returns:
//   UNAVAILABLE when nothing listens there (no such file or directory, or a
//     stale socket): starting an agent would help;
//   PERMISSION_DENIED for an unsafe directory, for a listener of another uid
//     ("refusing the agent at PATH: it runs as uid N, not as you (uid M)"),
//     or when connect() is not permitted;
//   DEADLINE_EXCEEDED if the listener accepts no connection within 10 s
//     (its backlog stays full);
//   INVALID_ARGUMENT for a path too long for a Unix socket, INTERNAL for
//     other failures.
// Every message names `socket_path` (or the directory at fault).
absl::StatusOr<TrustedAgentSocket> ConnectToTrustedAgent(
    const std::string& socket_path);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_TRUSTED_AGENT_H_

// Creating the agent's listening Unix socket safely, or taking one from
// systemd socket activation.
#ifndef MCPCRED_AGENT_DAEMON_LISTEN_SOCKET_H_
#define MCPCRED_AGENT_DAEMON_LISTEN_SOCKET_H_

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred {

struct ListenSocket {
  int fd = -1;
  std::string path;
  // False for a socket systemd owns: the agent must not unlink it.
  bool owned = true;
};

// Binds and listens on `path` (socket mode 0600). Creates its directory 0700
// if missing. Returns PERMISSION_DENIED, saying what to chmod or chown, if
// another user could replace the socket: a directory on the way to it belongs
// to someone other than root or you, or others may write to it
// (CheckSocketDirectories). Returns FAILED_PRECONDITION, saying what to do, if:
//   the directory belongs to another user or is group/world accessible;
//   a live agent already answers on `path`;
//   `path` exists and is not a socket.
// A stale socket file (nothing listening) is removed first.
absl::StatusOr<ListenSocket> BindListenSocket(const std::string& path);

// Calls listen() again, from this process: SO_PEERCRED, which clients read
// and `mcpcred-agent -k` trusts for the pid to signal, names the process that
// last called listen(), and a daemon is the child forked after the first
// call. Does nothing for a socket systemd owns (its listener stays systemd).
absl::Status ListenAsThisProcess(const ListenSocket& socket);

// The socket passed by systemd (LISTEN_FDS), if any: nullopt-like NOT_FOUND
// when not socket-activated; INVALID_ARGUMENT if what was passed is not one
// listening Unix stream socket.
absl::StatusOr<ListenSocket> TakeActivatedSocket();

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_LISTEN_SOCKET_H_

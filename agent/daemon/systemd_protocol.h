// The two halves of systemd's service protocol the agent uses, written
// against the documented wire format (sd_notify(3), sd_listen_fds(3)) rather
// than through libsystemd, whose mapping costs every agent about 1 MB of
// resident memory for two calls.
//
// Thread-safety: Notify may be called from any thread; TakeListenFds reads
// and unsets environment variables, so call it once, before threads start.
#ifndef MCPCRED_AGENT_DAEMON_SYSTEMD_PROTOCOL_H_
#define MCPCRED_AGENT_DAEMON_SYSTEMD_PROTOCOL_H_

#include <string_view>

namespace mcpcred {

// The first descriptor systemd passes (SD_LISTEN_FDS_START).
inline constexpr int kListenFdsStart = 3;

// Sends `state` (e.g. "READY=1") to the service manager's $NOTIFY_SOCKET: a
// path, or an abstract socket when it starts with '@'. Returns false when the
// variable is unset (not run by systemd) or the datagram could not be sent;
// a service manager that does not listen is not an error worth more.
bool NotifyServiceManager(std::string_view state);

// The number of sockets passed by socket activation to this process
// ($LISTEN_PID is this pid, $LISTEN_FDS counts them from kListenFdsStart),
// or 0 when there are none or they were meant for another process. Unsets
// LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES, so that children do not inherit
// them, and marks the passed descriptors close-on-exec.
int TakeListenFds();

// Whether `fd` is a listening Unix stream socket.
bool IsListeningUnixStream(int fd);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_SYSTEMD_PROTOCOL_H_

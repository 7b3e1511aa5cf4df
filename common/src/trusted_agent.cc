#include "mcpcred/common/trusted_agent.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mcpcred/common/safe_path.h"

namespace mcpcred {
namespace {

// How long connect() may wait for a listener whose backlog is full.
constexpr timeval kConnectTimeout = {10, 0};

absl::Status ConnectError(int error, const std::string& socket_path) {
  std::string message =
      absl::StrCat("cannot connect to ", socket_path, ": ", strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
    case ECONNREFUSED:
      return absl::UnavailableError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case EAGAIN:
      return absl::DeadlineExceededError(
          absl::StrCat("cannot connect to ", socket_path,
                       ": the listener accepts no connection (tried for ",
                       kConnectTimeout.tv_sec, " s)"));
    default:
      return absl::InternalError(message);
  }
}

}  // namespace

absl::StatusOr<TrustedAgentSocket> ConnectToTrustedAgent(
    const std::string& socket_path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "socket path \"", socket_path, "\" is empty or longer than ",
        sizeof(addr.sun_path) - 1, " bytes"));
  }
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());

  // The directories first: checked ones cannot change under us (only root or
  // this user may write them), so the socket found next is the one checked.
  absl::Status safe = CheckSocketDirectories(socket_path);
  if (absl::IsNotFound(safe)) {
    // No directory, no socket: the same as no agent.
    return absl::UnavailableError(safe.message());
  }
  if (!safe.ok()) return safe;

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ConnectError(errno, socket_path);
  // A blocking connect() to a Unix socket waits for room in the listener's
  // backlog as long as SO_SNDTIMEO says: not forever.
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &kConnectTimeout,
             sizeof(kConnectTimeout));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) !=
      0) {
    int error = errno;
    close(fd);
    return ConnectError(error, socket_path);
  }
  constexpr timeval kNoTimeout = {0, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &kNoTimeout, sizeof(kNoTimeout));
  struct ucred cred;
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    int error = errno;
    close(fd);
    return absl::InternalError(
        absl::StrCat("cannot tell who listens on ", socket_path,
                     ": SO_PEERCRED: ", strerror(error)));
  }
  if (cred.uid != geteuid()) {
    close(fd);
    return absl::PermissionDeniedError(
        absl::StrCat("refusing the agent at ", socket_path, ": it runs as uid ",
                     cred.uid, ", not as you (uid ", geteuid(), ")"));
  }
  return TrustedAgentSocket{fd, cred.pid, cred.uid};
}

}  // namespace mcpcred

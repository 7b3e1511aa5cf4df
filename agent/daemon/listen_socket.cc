#include "agent/daemon/listen_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/daemon/systemd_protocol.h"
#include "agent/util/fs.h"
#include "mcpcred/common/safe_path.h"

namespace mcpcred {
namespace {

absl::StatusOr<sockaddr_un> SocketAddress(const std::string& path) {
  sockaddr_un addr;
  std::memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket path ", path, " is longer than ",
                     sizeof(addr.sun_path) - 1, " bytes"));
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

// Removes a socket file nobody listens on; refuses to touch anything else.
absl::Status ClearStaleSocket(const std::string& path,
                              const sockaddr_un& addr) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return absl::OkStatus();
  if (!S_ISSOCK(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path,
                     " exists and is not a socket: remove it or choose another "
                     "--socket"));
  }
  int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return absl::InternalError(strerror(errno));
  int rc =
      connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  int err = errno;
  close(probe);
  if (rc == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("an agent is already running on ", path,
                     ": stop it with 'mcpcred-agent -k' or use another "
                     "--socket"));
  }
  if (err != ECONNREFUSED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot probe existing socket ", path, ": ", strerror(err)));
  }
  unlink(path.c_str());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ListenSocket> BindListenSocket(const std::string& path) {
  absl::StatusOr<sockaddr_un> addr = SocketAddress(path);
  if (!addr.ok()) return addr.status();
  // The socket's own directory must be private (MakePrivateDirs); every one
  // above it must keep other users out (CheckSocketDirectories).
  absl::Status dir = MakePrivateDirs(Dirname(path));
  if (!dir.ok()) return dir;
  absl::Status safe = CheckSocketDirectories(path);
  if (!safe.ok()) return safe;
  absl::Status stale = ClearStaleSocket(path, *addr);
  if (!stale.ok()) return stale;

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return absl::InternalError(strerror(errno));
  // umask makes the socket 0600 from its first moment; chmod alone would
  // leave a window.
  mode_t old_mask = umask(0177);
  int rc = bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr));
  int err = errno;
  umask(old_mask);
  if (rc != 0 || listen(fd, 128) != 0) {
    if (rc == 0) err = errno;
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot listen on ", path, ": ", strerror(err)));
  }
  return ListenSocket{fd, path, true};
}

absl::Status ListenAsThisProcess(const ListenSocket& socket) {
  if (!socket.owned) return absl::OkStatus();
  if (listen(socket.fd, 128) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot listen on ", socket.path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ListenSocket> TakeActivatedSocket() {
  int n = TakeListenFds();
  if (n <= 0) return absl::NotFoundError("not socket-activated");
  if (n != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("systemd passed ", n, " sockets; expected 1"));
  }
  int fd = kListenFdsStart;
  if (!IsListeningUnixStream(fd)) {
    return absl::InvalidArgumentError(
        "systemd passed a socket that is not a listening Unix stream socket");
  }
  // TakeListenFds() made it close-on-exec.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  sockaddr_un addr;
  socklen_t len = sizeof(addr);
  std::string path;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
      len > offsetof(sockaddr_un, sun_path)) {
    path = addr.sun_path;
  }
  // systemd made the directories; the clients will check them, and so does
  // the agent, rather than serve where its clients refuse to come.
  if (!path.empty()) {
    absl::Status safe = CheckSocketDirectories(path);
    if (!safe.ok()) return safe;
  }
  return ListenSocket{fd, path, false};
}

}  // namespace mcpcred

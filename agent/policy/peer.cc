#include "agent/policy/peer.h"

#include <limits.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcpcred {

absl::StatusOr<PeerCredentials> GetPeerCredentials(int fd) {
  struct ucred cred;
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return absl::InternalError(
        absl::StrCat("SO_PEERCRED failed: ", strerror(errno)));
  }
  PeerCredentials peer;
  peer.pid = cred.pid;
  peer.uid = cred.uid;
  peer.gid = cred.gid;
  char exe[PATH_MAX];
  std::string link = absl::StrCat("/proc/", cred.pid, "/exe");
  ssize_t n = readlink(link.c_str(), exe, sizeof(exe) - 1);
  if (n > 0) peer.executable.assign(exe, static_cast<size_t>(n));
  return peer;
}

}  // namespace mcpcred

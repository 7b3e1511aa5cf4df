// Who is on the other end of a Unix socket connection, from the kernel
// (SO_PEERCRED), not from anything the client says.
#ifndef MCPCRED_AGENT_POLICY_PEER_H_
#define MCPCRED_AGENT_POLICY_PEER_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  // /proc/PID/exe, or "" when it cannot be read (process gone, not dumpable).
  std::string executable;
};

// Returns INTERNAL if `fd` is not a connected Unix socket.
absl::StatusOr<PeerCredentials> GetPeerCredentials(int fd);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_PEER_H_

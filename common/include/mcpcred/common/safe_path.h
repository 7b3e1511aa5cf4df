// Whether another user could replace the agent's socket: checked by the agent
// before it binds and by every client before it connects, like OpenSSH's
// safe_path() for ~/.ssh.
//
// The rule, for every directory from / down to the one that holds the socket:
//   - it belongs to root or to this process's effective uid;
//   - neither its group nor others may write to it.
// One exception: a root-owned directory with the sticky bit (/tmp, mode 1777)
// may be an ancestor, because others may add entries to it but cannot rename
// or remove this user's. It may not hold the socket itself: anyone could
// create a socket of that name there first.
//
// Symbolic links are followed as the kernel follows them, and every directory
// a link leads through is checked too.
//
// Thread-safe: reads the file system only.
#ifndef MCPCRED_COMMON_SAFE_PATH_H_
#define MCPCRED_COMMON_SAFE_PATH_H_

#include <string>

#include "absl/status/status.h"

namespace mcpcred {

// Checks the directories of `socket_path` (not the socket file itself); a
// relative path starts at the working directory. Returns:
//   PERMISSION_DENIED naming the first unsafe directory and what to run
//     ('chmod go-w DIR', or 'chown UID DIR'), or a directory that cannot be
//     examined (lstat() fails, too many links);
//   NOT_FOUND if a directory is missing or is not a directory: no socket can
//     be there;
//   INVALID_ARGUMENT for an empty path.
absl::Status CheckSocketDirectories(const std::string& socket_path);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_SAFE_PATH_H_

// A server instance's process: COMMAND started (searched in this process's
// $PATH, no shell) with an environment of its own and its stdin, stdout and
// stderr on pipes. The relay's ends are non-blocking and close-on-exec; the
// child starts with the default signal dispositions and an empty mask.
//
// Thread-compatible.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_CHILD_PROCESS_H_
#define MCPCRED_CLIENT_EXEC_RELAY_CHILD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcred::exec::relay {

struct ChildProcess {
  pid_t pid = -1;
  int stdin_fd = -1;  // the relay writes here
  int stdout_fd = -1;
  int stderr_fd = -1;
};

// Starts `command` with `environment` (KEY=VALUE). On failure the status
// message is "COMMAND: <strerror>" and `*spawn_errno` the errno (ENOENT: not
// found), for the shell's exit codes 127 and 126.
absl::StatusOr<ChildProcess> SpawnChild(
    const std::vector<std::string>& command,
    const std::vector<std::string>& environment, int* spawn_errno);

// Closes one of the relay's ends and sets it to -1 (no-op for -1).
void CloseFd(int* fd);

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_CHILD_PROCESS_H_

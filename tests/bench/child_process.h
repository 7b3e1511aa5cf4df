// A child process the benchmark starts and always stops: the agent under test
// and the bare gRPC server it is compared with.
#ifndef MCPCRED_TESTS_BENCH_CHILD_PROCESS_H_
#define MCPCRED_TESTS_BENCH_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mcpcred::bench {

// Thread-compatible. The destructor stops the child (SIGTERM, then SIGKILL
// after a grace period) and reaps it, so every early return cleans up. The
// child also gets SIGTERM if the benchmark dies (PR_SET_PDEATHSIG), so a
// crashed or interrupted run leaves no agent behind.
class ChildProcess {
 public:
  // Runs argv[0] (a path, no PATH search) with `argv` and this process's
  // environment, overridden by `env` entries ("KEY=value"). The child's
  // stdout and stderr go to `log_path` (created or truncated).
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv, const std::vector<std::string>& env,
      const std::string& log_path);

  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // CPU time (user + system, every thread) the child has used so far, from
  // /proc/PID/stat; clock-tick resolution (10 ms). Zero once it is reaped.
  absl::Duration CpuTime() const;

  // Returns FAILED_PRECONDITION, saying how it ended, once the child exited.
  absl::Status CheckRunning();

  // Sends SIGTERM and waits up to `grace`, then SIGKILL. Returns how the
  // child ended, e.g. "exit 0" or "killed by signal 9". Idempotent.
  std::string Stop(absl::Duration grace = absl::Seconds(5));

 private:
  explicit ChildProcess(pid_t pid, std::string name)
      : pid_(pid), name_(std::move(name)) {}

  // Records `status` from waitpid; returns the description.
  std::string Reaped(int status);

  const pid_t pid_;
  const std::string name_;
  bool reaped_ = false;
  std::string ended_;
};

// Waits until `path` accepts a Unix-socket connection, failing early if
// `child` exits first or `timeout` passes.
absl::Status WaitForSocket(const std::string& path, ChildProcess* child,
                           absl::Duration timeout);

}  // namespace mcpcred::bench

#endif  // MCPCRED_TESTS_BENCH_CHILD_PROCESS_H_

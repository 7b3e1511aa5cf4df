// A real mcpcred-agent process for integration tests: started with an
// explicit argv and environment, its stdout and stderr appended to a log
// file, readiness found by polling, stopped with SIGTERM and reaped.
#ifndef MCPCRED_TESTS_INTEGRATION_AGENT_PROCESS_H_
#define MCPCRED_TESTS_INTEGRATION_AGENT_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/run_command.h"

namespace mcpcred::testing {

struct AgentLaunch {
  // The agent binary and its arguments, e.g. {"-D", "--config", path}.
  std::string agent_path;
  std::vector<std::string> args;
  // Run before the agent, e.g. {"systemd-socket-activate", "-l", sock, "--"}.
  std::vector<std::string> wrapper;
  Environment env;
  // Where clients reach the agent; readiness is probed there.
  std::string socket_path;
  // The agent's stdout and stderr are appended here.
  std::string log_path;
};

// One agent process. Not thread-safe.
class AgentProcess {
 public:
  static absl::StatusOr<std::unique_ptr<AgentProcess>> Start(
      const AgentLaunch& launch);

  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;
  // Kills the agent if it still runs.
  ~AgentProcess();

  pid_t pid() const { return child_->pid(); }
  const std::string& socket_path() const { return launch_.socket_path; }
  const std::string& log_path() const { return launch_.log_path; }

  // Returns once `probe` (e.g. `mcpcred status`) exits 0, after the socket
  // accepts connections. Fails if the agent exits first or `limit` passes.
  absl::Status WaitUntilServing(const CommandSpec& probe,
                                absl::Duration limit = absl::Seconds(30));

  // True while the process has not exited.
  bool Running() { return !child_->Finished(); }

  // Sends a signal to the agent.
  absl::Status Signal(int sig);

  // Sends SIGTERM and waits for the exit; returns the exit status, or
  // ABORTED when a signal killed it. After `limit` the agent is killed and
  // DEADLINE_EXCEEDED returned.
  absl::StatusOr<int> Stop(absl::Duration limit = absl::Seconds(30));

  // Waits for the agent to exit by itself (one that refuses to start).
  absl::StatusOr<int> WaitExit(absl::Duration limit = absl::Seconds(30));

  // Everything the agent has written so far.
  std::string Log() const { return ReadFileOrEmpty(launch_.log_path); }

  // What the agent maps now (/proc/PID/maps): which libraries it loaded.
  std::string Maps() const {
    return ReadFileOrEmpty("/proc/" + std::to_string(pid()) + "/maps");
  }

 private:
  AgentProcess(AgentLaunch launch, std::unique_ptr<Subprocess> child)
      : launch_(std::move(launch)), child_(std::move(child)) {}

  AgentLaunch launch_;
  std::unique_ptr<Subprocess> child_;
};

// True if connect() to the Unix socket at `path` succeeds now.
bool SocketAccepts(const std::string& path);

// Waits up to `limit` for `pid` (which need not be a child of this process)
// to be gone. Reaps it if it is a child, e.g. after PR_SET_CHILD_SUBREAPER.
bool WaitForPidGone(pid_t pid, absl::Duration limit);

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_INTEGRATION_AGENT_PROCESS_H_

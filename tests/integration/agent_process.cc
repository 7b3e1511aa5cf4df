#include "tests/integration/agent_process.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace mcpcred::testing {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(10);

absl::StatusOr<int> ExitStatusOf(const CommandResult& result) {
  if (result.timed_out) {
    return absl::DeadlineExceededError(
        absl::StrCat("agent ", result.Outcome()));
  }
  if (result.term_signal != 0) {
    return absl::AbortedError(absl::StrCat("agent ", result.Outcome()));
  }
  return result.exit_code;
}

// A zombie still answers kill(pid, 0); its state in /proc says it is gone.
bool IsZombie(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() &&
         line[paren + 2] == 'Z';
}

}  // namespace

bool SocketAccepts(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) return false;
  std::memcpy(addr.sun_path, path.data(), path.size());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok =
      connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

bool WaitForPidGone(pid_t pid, absl::Duration limit) {
  absl::Time deadline = absl::Now() + limit;
  while (true) {
    int status = 0;
    pid_t rc = waitpid(pid, &status, WNOHANG);
    if (rc == pid) return true;
    if (rc < 0 && errno == ECHILD) {
      // Not our child: it is gone when it no longer exists or is a zombie.
      if (kill(pid, 0) != 0 && errno == ESRCH) return true;
      if (IsZombie(pid)) return true;
    }
    if (absl::Now() > deadline) return false;
    absl::SleepFor(kPollInterval);
  }
}

absl::StatusOr<std::unique_ptr<AgentProcess>> AgentProcess::Start(
    const AgentLaunch& launch) {
  CommandSpec spec;
  spec.argv = launch.wrapper;
  spec.argv.push_back(launch.agent_path);
  spec.argv.insert(spec.argv.end(), launch.args.begin(), launch.args.end());
  spec.env = launch.env;
  spec.output_path = launch.log_path;
  // The agent lives as long as the test; Stop() has its own limit.
  spec.timeout = absl::Hours(1);
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(spec);
  if (!child.ok()) return child.status();
  return std::unique_ptr<AgentProcess>(
      new AgentProcess(launch, *std::move(child)));
}

AgentProcess::~AgentProcess() = default;  // ~Subprocess kills and reaps.

absl::Status AgentProcess::WaitUntilServing(const CommandSpec& probe,
                                            absl::Duration limit) {
  absl::Time deadline = absl::Now() + limit;
  while (!SocketAccepts(launch_.socket_path)) {
    if (!Running()) {
      return absl::FailedPreconditionError("the agent exited before serving");
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("nothing accepts connections on ", launch_.socket_path));
    }
    absl::SleepFor(kPollInterval);
  }
  // The socket listens before the agent serves (it is bound first, so a
  // second agent is refused early); a probe that answers means it serves.
  // Signals are blocked by then, so SIGHUP cannot kill it any more.
  while (true) {
    CommandSpec attempt = probe;
    attempt.timeout = std::max(deadline - absl::Now(), absl::Seconds(1));
    CommandResult result = RunCommand(attempt);
    if (result.exit_code == 0) return absl::OkStatus();
    if (!Running()) {
      return absl::FailedPreconditionError("the agent exited before serving");
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("the readiness probe kept failing: ", result.Outcome(),
                       ": ", result.err));
    }
    absl::SleepFor(kPollInterval);
  }
}

absl::Status AgentProcess::Signal(int sig) {
  if (!child_->Signal(sig)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot signal the agent (pid ", pid(), "): ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AgentProcess::Stop(absl::Duration limit) {
  child_->Signal(SIGTERM);
  return WaitExit(limit);
}

absl::StatusOr<int> AgentProcess::WaitExit(absl::Duration limit) {
  if (!child_->WaitFor(limit)) {
    child_->Signal(SIGKILL);
    child_->Wait();
    return absl::DeadlineExceededError(
        absl::StrCat("the agent did not exit within ",
                     absl::FormatDuration(limit), "; killed"));
  }
  return ExitStatusOf(child_->Wait());
}

}  // namespace mcpcred::testing

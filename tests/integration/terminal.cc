#include "tests/integration/terminal.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace mcpcred::testing {

pid_t StartOnTerminal(const std::vector<std::string>& argv,
                      const Environment& env, const std::string& dir,
                      int* master) {
  ExecVectors vectors(argv, env);
  pid_t pid = forkpty(master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    if (!dir.empty() && chdir(dir.c_str()) != 0) _exit(126);
    execve(vectors.argv()[0], vectors.argv(), vectors.envp());
    _exit(127);
  }
  return pid;
}

int WaitOrKill(pid_t pid) {
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "the program on the terminal did not finish";
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return status;
}

std::string ReadUntil(int fd, const std::string& needle, std::string seen) {
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!absl::StrContains(seen, needle) && absl::Now() < deadline) {
    pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buffer[256];
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;  // EIO once the child is gone
    seen.append(buffer, static_cast<size_t>(n));
  }
  return seen;
}

}  // namespace mcpcred::testing

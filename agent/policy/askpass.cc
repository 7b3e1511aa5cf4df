#include "agent/policy/askpass.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/policy/caller_identity.h"

extern char** environ;

namespace mcpcred {
namespace {

constexpr size_t kMaxOutput = 4096;

// Kills the askpass and everything it started, and reaps it.
void KillAndReap(pid_t pid) {
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

std::string AskpassProgram() {
  for (const char* name : {"MCPCRED_ASKPASS", "SSH_ASKPASS"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') return value;
  }
  return "";
}

bool IsYesAnswer(int exit_status, absl::string_view output) {
  if (exit_status != 0) return false;
  absl::string_view answer = absl::StripAsciiWhitespace(output);
  return answer.empty() || absl::EqualsIgnoreCase(answer, "yes");
}

absl::StatusOr<bool> RunAskpass(const std::string& program,
                                const std::string& question,
                                absl::Duration timeout, int cancel_fd) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot run the askpass program: ", strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!absl::StartsWith(*e, "SSH_ASKPASS_PROMPT=")) env_strings.push_back(*e);
  }
  env_strings.push_back("SSH_ASKPASS_PROMPT=confirm");
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string arg0 = program;
  std::string arg1 = question;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = -1;
  const int spawned =
      posix_spawn(&pid, program.c_str(), &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    return absl::UnavailableError(absl::StrCat(
        "cannot run the askpass program ", program, ": ", strerror(spawned)));
  }
  const int pidfd = PidfdOpen(pid);
  const absl::Time deadline = absl::Now() + timeout;
  std::string output;
  bool exited = false;
  absl::Status stopped;
  while (!exited) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      stopped = absl::DeadlineExceededError("no answer");
      break;
    }
    pollfd fds[3] = {
        {pidfd, POLLIN, 0}, {cancel_fd, POLLIN, 0}, {out[0], POLLIN, 0}};
    const int ready =
        poll(fds, out[0] >= 0 ? 3 : 2,
             static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno != EINTR) {
      stopped = absl::UnavailableError(strerror(errno));
      break;
    }
    if (fds[1].revents != 0) {
      stopped = absl::CancelledError("the agent is stopping");
      break;
    }
    if (out[0] >= 0 && fds[2].revents != 0) {
      char buffer[512];
      ssize_t n = read(out[0], buffer, sizeof(buffer));
      if (n > 0 && output.size() < kMaxOutput) {
        output.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (n < 0 && errno != EINTR)) {
        close(out[0]);
        out[0] = -1;
      }
    }
    exited = fds[0].revents != 0;
  }
  if (!stopped.ok()) {
    KillAndReap(pid);
    if (out[0] >= 0) close(out[0]);
    if (pidfd >= 0) close(pidfd);
    return stopped;
  }
  if (out[0] >= 0) {
    // It exited: what it wrote is in the pipe, unless a child of its own
    // still holds the pipe open, which must not stall the answer.
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    char buffer[512];
    ssize_t n;
    while ((n = read(out[0], buffer, sizeof(buffer))) > 0 &&
           output.size() < kMaxOutput) {
      output.append(buffer, static_cast<size_t>(n));
    }
    close(out[0]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (pidfd >= 0) close(pidfd);
  return IsYesAnswer(WIFEXITED(status) ? WEXITSTATUS(status) : -1, output);
}

}  // namespace mcpcred

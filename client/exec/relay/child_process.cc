#include "relay/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace mcpcred::exec::relay {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    CloseFd(&fds[0]);
    CloseFd(&fds[1]);
  }
};

}  // namespace

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

absl::StatusOr<ChildProcess> SpawnChild(
    const std::vector<std::string>& command,
    const std::vector<std::string>& environment, int* spawn_errno) {
  *spawn_errno = 0;
  Pipe in, out, err;
  for (Pipe* pipe : {&in, &out, &err}) {
    if (pipe2(pipe->fds, O_CLOEXEC) != 0) {
      *spawn_errno = errno;
      return absl::InternalError(
          absl::StrCat("cannot make a pipe: ", std::strerror(errno)));
    }
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the child's 0, 1 and 2.
  posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT}) {
    sigaddset(&defaults, signal);
  }
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (const std::string& arg : command) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& entry : environment) {
    envp.push_back(const_cast<char*>(entry.c_str()));
  }
  envp.push_back(nullptr);

  ChildProcess child;
  // posix_spawnp searches this process's $PATH, not one a credential sets:
  // the command line was written against the caller's environment.
  int error = posix_spawnp(&child.pid, argv[0], &actions, &attributes,
                           argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    *spawn_errno = error;
    return absl::UnavailableError(
        absl::StrCat(command[0], ": ", std::strerror(error)));
  }
  child.stdin_fd = std::exchange(in.fds[1], -1);
  child.stdout_fd = std::exchange(out.fds[0], -1);
  child.stderr_fd = std::exchange(err.fds[0], -1);
  for (int fd : {child.stdin_fd, child.stdout_fd, child.stderr_fd}) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  return child;
}

}  // namespace mcpcred::exec::relay

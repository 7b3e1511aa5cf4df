#include "tests/e2e/streaming_child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace mcpcred::testing {
namespace {

std::string ReadWholeFd(int fd) {
  std::string text;
  if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) return text;
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      text.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      return text;
    }
  }
}

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<StreamingChild>> StreamingChild::Start(
    const CommandSpec& spec, const StreamingOptions& options) {
  if (spec.argv.empty()) return absl::InvalidArgumentError("empty argv");
  std::string program = FindProgram(spec.argv[0]);
  if (program.empty()) {
    return absl::NotFoundError(absl::StrCat(spec.argv[0], " not in $PATH"));
  }
  std::unique_ptr<StreamingChild> child(new StreamingChild());
  int out_pipe[2] = {-1, -1};
  int in_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  child->out_fd_ = out_pipe[0];
  int child_out = out_pipe[1];
  int child_in = -1;
  if (options.pipe_stdin) {
    if (pipe2(in_pipe, O_CLOEXEC) != 0) {
      close(child_out);
      return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
    }
    child_in = in_pipe[0];
    child->in_fd_ = in_pipe[1];
  } else {
    child_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  }
  int child_err = -1;
  if (options.stderr_path.empty()) {
    child->err_fd_ = memfd_create("stderr", MFD_CLOEXEC);
    child_err = child->err_fd_ >= 0 ? dup(child->err_fd_) : -1;
  } else {
    child_err = open(options.stderr_path.c_str(),
                     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  }
  auto close_child_ends = [&] {
    close(child_out);
    if (child_in >= 0) close(child_in);
    if (child_err >= 0) close(child_err);
  };
  if (child_in < 0 || child_err < 0) {
    close_child_ends();
    return absl::InternalError(
        absl::StrCat("cannot set up stdin/stderr: ", std::strerror(errno)));
  }

  // Everything the child needs is built before fork.
  ExecVectors exec_vectors(spec.argv, spec.env);

  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close_child_ends();
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Dies with the test even when the test is killed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    if (dup2(child_in, STDIN_FILENO) < 0 ||
        dup2(child_out, STDOUT_FILENO) < 0 ||
        dup2(child_err, STDERR_FILENO) < 0) {
      _exit(127);
    }
    close_range(3, ~0U, 0);
    execve(program.c_str(), exec_vectors.argv(), exec_vectors.envp());
    static const char kMessage[] = "exec failed\n";
    ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    (void)ignored;
    _exit(127);
  }
  setpgid(pid, pid);  // Also here: whichever runs first wins the race.
  close_child_ends();
  child->pid_ = pid;
  fcntl(child->out_fd_, F_SETFL, fcntl(child->out_fd_, F_GETFL) | O_NONBLOCK);
  return child;
}

StreamingChild::~StreamingChild() {
  KillAndReap();
  CloseFd(&out_fd_);
  CloseFd(&in_fd_);
  CloseFd(&err_fd_);
}

void StreamingChild::KillAndReap() {
  if (pid_ <= 0 || reaped_) return;
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  wait_status_ = status;
}

bool StreamingChild::Drain() {
  if (out_eof_) return false;
  char buffer[65536];
  while (true) {
    ssize_t n = read(out_fd_, buffer, sizeof(buffer));
    if (n > 0) {
      pending_.append(buffer, static_cast<size_t>(n));
      all_out_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    out_eof_ = true;  // EOF or a real error: nothing more will come
    return false;
  }
}

absl::StatusOr<std::string> StreamingChild::ReadLine(absl::Duration limit) {
  absl::Time deadline = absl::Now() + limit;
  while (true) {
    size_t newline = pending_.find('\n');
    if (newline != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      return line;
    }
    if (!Drain()) {
      if (pending_.empty()) {
        return absl::NotFoundError("stdout ended without another line");
      }
      std::string line;
      line.swap(pending_);
      return line;
    }
    if (pending_.find('\n') != std::string::npos) continue;
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no line on stdout within ", absl::FormatDuration(limit)));
    }
    pollfd fd = {out_fd_, POLLIN, 0};
    poll(&fd, 1,
         static_cast<int>(
             std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 1000)));
  }
}

bool StreamingChild::WriteStdin(const std::string& text) {
  if (in_fd_ < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(in_fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

void StreamingChild::CloseStdin() { CloseFd(&in_fd_); }

bool StreamingChild::Signal(int sig) {
  if (Finished()) return false;
  return kill(pid_, sig) == 0;
}

bool StreamingChild::Finished() {
  if (reaped_) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_ = true;
    wait_status_ = status;
  }
  return reaped_;
}

CommandResult StreamingChild::Wait(absl::Duration limit) {
  CommandResult result;
  absl::Time deadline = absl::Now() + limit;
  // Keep reading stdout, so a child writing a lot never blocks on the pipe.
  while (!Finished()) {
    if (absl::Now() > deadline) {
      result.timed_out = true;
      KillAndReap();
      break;
    }
    if (Drain()) {
      pollfd fd = {out_fd_, POLLIN, 0};
      poll(&fd, 1, 5);
    } else {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }
  // The child is gone; whatever it wrote is in the pipe (unless a
  // grandchild still holds it open, which a bounded read tolerates).
  absl::Time drain_deadline = absl::Now() + absl::Seconds(2);
  while (Drain() && absl::Now() < drain_deadline) {
    pollfd fd = {out_fd_, POLLIN, 0};
    poll(&fd, 1, 10);
  }
  if (WIFEXITED(wait_status_)) {
    result.exit_code = WEXITSTATUS(wait_status_);
  } else if (WIFSIGNALED(wait_status_)) {
    result.term_signal = WTERMSIG(wait_status_);
  }
  result.out = all_out_;
  result.err = Stderr();
  return result;
}

std::string StreamingChild::Stderr() const { return ReadWholeFd(err_fd_); }

}  // namespace mcpcred::testing

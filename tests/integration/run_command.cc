#include "tests/integration/run_command.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace mcpcred::testing {
namespace {

// How often a waiting loop looks at the child; only latency, never a limit.
constexpr absl::Duration kPollInterval = absl::Milliseconds(5);

int MakeMemFile(const char* name) { return memfd_create(name, MFD_CLOEXEC); }

std::string ReadFd(int fd) {
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

bool WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string CommandResult::Outcome() const {
  if (timed_out) return "timed out (killed)";
  if (term_signal != 0) return absl::StrCat("killed by signal ", term_signal);
  return absl::StrCat("exit ", exit_code);
}

ExecVectors::ExecVectors(const std::vector<std::string>& argv,
                         const Environment& env)
    : args_(argv) {
  for (const auto& [key, value] : env) {
    env_entries_.push_back(absl::StrCat(key, "=", value));
  }
  for (std::string& entry : env_entries_) envp_.push_back(entry.data());
  envp_.push_back(nullptr);
  for (std::string& arg : args_) argv_.push_back(arg.data());
  argv_.push_back(nullptr);
}

std::string FindProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(
           path != nullptr ? path : "/usr/bin:/bin", ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFileOrDie(const std::string& path, const std::string& text,
                    mode_t mode) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0 || !WriteAll(fd, text) || fchmod(fd, mode) != 0) {
    std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(),
                 std::strerror(errno));
    std::abort();
  }
  close(fd);
}

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    const CommandSpec& spec) {
  if (spec.argv.empty()) return absl::InvalidArgumentError("empty argv");
  std::string program = FindProgram(spec.argv[0]);
  if (program.empty()) {
    return absl::NotFoundError(absl::StrCat(spec.argv[0], " not in $PATH"));
  }

  std::unique_ptr<Subprocess> child(new Subprocess());
  child->captured_ = spec.output_path.empty();
  if (child->captured_) {
    child->out_fd_ = MakeMemFile("stdout");
    child->err_fd_ = MakeMemFile("stderr");
  } else {
    child->out_fd_ = open(spec.output_path.c_str(),
                          O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    child->err_fd_ = child->out_fd_ < 0 ? -1 : dup(child->out_fd_);
  }
  int in_fd = spec.stdin_text.has_value()
                  ? MakeMemFile("stdin")
                  : open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (child->out_fd_ < 0 || child->err_fd_ < 0 || in_fd < 0) {
    if (in_fd >= 0) close(in_fd);
    return absl::InternalError(
        absl::StrCat("cannot create capture files: ", std::strerror(errno)));
  }
  if (spec.stdin_text.has_value() &&
      (!WriteAll(in_fd, *spec.stdin_text) || lseek(in_fd, 0, SEEK_SET) != 0)) {
    close(in_fd);
    return absl::InternalError("cannot prepare stdin");
  }

  // Everything the child needs is built before fork.
  ExecVectors exec_vectors(spec.argv, spec.env);

  child->deadline_ = absl::Now() + spec.timeout;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(in_fd);
    return absl::InternalError(
        absl::StrCat("fork failed: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Dies with the test, even when the test is killed (a ctest timeout)
    // and cannot stop its agents. Survives exec; a daemon forked later
    // does not inherit it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    if (dup2(in_fd, STDIN_FILENO) < 0 ||
        dup2(child->out_fd_, STDOUT_FILENO) < 0 ||
        dup2(child->err_fd_, STDERR_FILENO) < 0) {
      _exit(127);
    }
    // No descriptor of the test (or of another test's agent) leaks in.
    close_range(3, ~0U, 0);
    execve(program.c_str(), exec_vectors.argv(), exec_vectors.envp());
    static const char kMessage[] = "exec failed\n";
    ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    (void)ignored;
    _exit(127);
  }
  setpgid(pid, pid);  // Also here: whichever runs first wins the race.
  close(in_fd);
  child->pid_ = pid;
  return child;
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && !reaped_) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

void Subprocess::Reap(int status) {
  reaped_ = true;
  wait_status_ = status;
}

bool Subprocess::Finished() {
  if (reaped_) return true;
  int status = 0;
  pid_t rc = waitpid(pid_, &status, WNOHANG);
  if (rc == pid_) Reap(status);
  return reaped_;
}

bool Subprocess::WaitFor(absl::Duration limit) {
  absl::Time deadline = absl::Now() + limit;
  while (!Finished()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(kPollInterval);
  }
  return true;
}

bool Subprocess::Signal(int sig) {
  if (reaped_) return false;
  return kill(pid_, sig) == 0;
}

CommandResult Subprocess::Wait() {
  CommandResult result;
  if (!WaitFor(deadline_ - absl::Now())) {
    result.timed_out = true;
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    Reap(status);
  }
  if (WIFEXITED(wait_status_)) {
    result.exit_code = WEXITSTATUS(wait_status_);
  } else if (WIFSIGNALED(wait_status_)) {
    result.term_signal = WTERMSIG(wait_status_);
  }
  if (captured_) {
    result.out = ReadFd(out_fd_);
    result.err = ReadFd(err_fd_);
  }
  return result;
}

CommandResult RunCommand(const CommandSpec& spec) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child = Subprocess::Start(spec);
  if (!child.ok()) {
    CommandResult result;
    result.exit_code = 127;
    result.err = std::string(child.status().message());
    return result;
  }
  return (*child)->Wait();
}

}  // namespace mcpcred::testing

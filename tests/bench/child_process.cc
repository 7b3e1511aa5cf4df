#include "tests/bench/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace mcpcred::bench {
namespace {

std::string KeyOf(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

// environ with every key named in `overrides` replaced.
std::vector<std::string> MergedEnvironment(
    const std::vector<std::string>& overrides) {
  std::vector<std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string key = KeyOf(*entry);
    bool overridden = false;
    for (const std::string& o : overrides) overridden |= KeyOf(o) == key;
    if (!overridden) merged.emplace_back(*entry);
  }
  merged.insert(merged.end(), overrides.begin(), overrides.end());
  return merged;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

bool Connects(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::vector<std::string>& env,
    const std::string& log_path) {
  // Everything the child needs is built before fork(): between fork() and
  // execve() only async-signal-safe calls are allowed.
  std::vector<std::string> args = argv;
  std::vector<std::string> envs = MergedEnvironment(env);
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_envs = CStrings(envs);
  const int log_fd =
      open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot create ", log_path, ": ", strerror(errno)));
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) close(log_fd);
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execve(c_args[0], c_args.data(), c_envs.data());
    _exit(127);
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, argv[0]));
}

ChildProcess::~ChildProcess() { Stop(); }

absl::Duration ChildProcess::CpuTime() const {
  if (reaped_) return absl::ZeroDuration();
  std::ifstream in(absl::StrCat("/proc/", pid_, "/stat"));
  std::string stat(std::istreambuf_iterator<char>(in), {});
  // Fields after the command, which is in parentheses and may hold spaces:
  // state is field 3, utime 14, stime 15.
  size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return absl::ZeroDuration();
  std::vector<absl::string_view> fields = absl::StrSplit(
      absl::string_view(stat).substr(close_paren + 2), ' ', absl::SkipEmpty());
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::ZeroDuration();
  }
  return absl::Seconds(static_cast<double>(utime + stime) /
                       sysconf(_SC_CLK_TCK));
}

std::string ChildProcess::Reaped(int status) {
  reaped_ = true;
  if (WIFEXITED(status)) {
    ended_ = absl::StrCat("exit ", WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    ended_ = absl::StrCat("killed by signal ", WTERMSIG(status));
  } else {
    ended_ = absl::StrCat("wait status ", status);
  }
  return ended_;
}

absl::Status ChildProcess::CheckRunning() {
  if (!reaped_) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return absl::OkStatus();
    Reaped(status);
  }
  return absl::FailedPreconditionError(
      absl::StrCat(name_, " (pid ", pid_, ") ended: ", ended_));
}

std::string ChildProcess::Stop(absl::Duration grace) {
  if (reaped_) return ended_;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  int status = 0;
  while (absl::Now() < deadline) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) return Reaped(status);
    if (r < 0 && errno != EINTR) {
      reaped_ = true;
      ended_ = absl::StrCat("cannot wait: ", strerror(errno));
      return ended_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  return Reaped(status) + " (after SIGKILL: no exit on SIGTERM)";
}

absl::Status WaitForSocket(const std::string& path, ChildProcess* child,
                           absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!Connects(path)) {
    absl::Status running = child->CheckRunning();
    if (!running.ok()) return running;
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no socket at ", path, " after ", absl::FormatDuration(timeout)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::OkStatus();
}

}  // namespace mcpcred::bench

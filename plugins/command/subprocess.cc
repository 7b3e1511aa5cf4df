#include "plugins/command/subprocess.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <set>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace mcpcred::command {
namespace {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

absl::Status Errno(const char* what, int err) {
  return absl::InternalError(
      absl::StrCat("cannot run a command: ", what, ": ", strerror(err)));
}

// A pipe whose ends are close-on-exec and numbered 3 or above: if the agent
// runs with stdio closed, pipe2() may hand out 0-2, and a dup2() onto 1 or 2
// in the child would then overwrite the other pipe's end.
absl::Status MakePipe(UniqueFd* read_end, UniqueFd* write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Errno("pipe2", errno);
  UniqueFd ends[2] = {UniqueFd(fds[0]), UniqueFd(fds[1])};
  for (UniqueFd& end : ends) {
    if (end.get() >= 3) continue;
    int moved = fcntl(end.get(), F_DUPFD_CLOEXEC, 3);
    if (moved < 0) return Errno("fcntl", errno);
    end = UniqueFd(moved);
  }
  // Only the agent's end is non-blocking: the child's writes must block as
  // on any ordinary stdout (the ends are separate open file descriptions).
  int flags = fcntl(ends[0].get(), F_GETFL);
  if (flags < 0 || fcntl(ends[0].get(), F_SETFL, flags | O_NONBLOCK) != 0) {
    return Errno("fcntl", errno);
  }
  *read_end = std::move(ends[0]);
  *write_end = std::move(ends[1]);
  return absl::OkStatus();
}

// What the child needs between fork() and execve(), prepared beforehand:
// after fork() in a multi-threaded process only async-signal-safe calls are
// allowed, so nothing below allocates.
struct ChildSetup {
  const char* program;
  char* const* argv;
  char* const* envp;
  const char* working_directory;  // null: the agent's own
  int out_fd;
  int err_fd;
  int report_fd;  // close-on-exec; gets errno if the child cannot exec
  pid_t parent;
  int max_fd;  // for when close_range() is missing
};

// Runs in the forked child; never returns. fork()+execve() rather than
// posix_spawn() for PR_SET_PDEATHSIG, which posix_spawn cannot set: the
// kernel then kills the program when the agent dies, even by SIGKILL, when
// no stop code of the agent runs.
// Tells the parent why the child cannot run the program, and exits.
[[noreturn]] void ReportAndExit(int report_fd, int err) {
  ssize_t ignored = write(report_fd, &err, sizeof(err));
  (void)ignored;
  _exit(127);
}

[[noreturn]] void RunChild(const ChildSetup& setup) {
  auto fail = [&setup](int err) { ReportAndExit(setup.report_fd, err); };
  // A process group of its own, so a timeout or the agent's stop kills the
  // helpers it started.
  if (setpgid(0, 0) != 0) fail(errno);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(errno);
  // The agent died before prctl(): nobody would ever kill this child.
  if (getppid() != setup.parent) _exit(127);
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0) fail(errno);
  if (dup2(null_fd, 0) < 0 || dup2(setup.out_fd, 1) < 0 ||
      dup2(setup.err_fd, 2) < 0) {
    fail(errno);
  }
  if (setup.working_directory != nullptr &&
      chdir(setup.working_directory) != 0) {
    fail(errno);
  }
  // The agent blocks SIGTERM/SIGINT/SIGHUP in every thread and gRPC ignores
  // SIGPIPE; both would survive execve and confuse the program.
  struct sigaction standard;
  std::memset(&standard, 0, sizeof(standard));
  standard.sa_handler = SIG_DFL;
  for (int sig = 1; sig < 32; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &standard, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // Defence in depth: the agent opens everything O_CLOEXEC, but a library it
  // links might not, and the program must not inherit the listening socket
  // or a store file. Marked rather than closed: report_fd must stay open
  // until execve succeeds.
  if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 3; fd < setup.max_fd; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  execve(setup.program, setup.argv, setup.envp);
  ReportAndExit(setup.report_fd, errno);
}

// The process groups of the programs running now, so that StopAllSubprocesses
// can kill them. A group is listed from its start until just before its
// leader is reaped: while listed, the unreaped leader keeps the group id
// from being reused, so killing it never hits a stranger.
class RunningGroups {
 public:
  static RunningGroups& Get() {
    static RunningGroups* groups = new RunningGroups();
    return *groups;
  }

  // Starts the child with `start` unless the agent is stopping, and lists
  // it. Returns the child's pid, or -1 with *stopping set.
  template <typename Start>
  pid_t StartListed(Start start, bool* stopping) {
    absl::MutexLock lock(&mu_);
    *stopping = stopping_;
    if (stopping_) return -1;
    const pid_t pid = start();
    if (pid > 0) pids_.insert(pid);
    return pid;
  }
  void Unlist(pid_t pid) {
    absl::MutexLock lock(&mu_);
    pids_.erase(pid);
  }
  void StopAll() {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    for (pid_t pid : pids_) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);  // in case it moved itself to another group
    }
  }

 private:
  absl::Mutex mu_;
  std::set<pid_t> pids_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings)
    out.push_back(const_cast<char*>(s.data()));
  out.push_back(nullptr);
  return out;
}

// The deadline must not move with the wall clock (NTP steps, suspend).
absl::Duration MonotonicNow() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return absl::DurationFromTimespec(ts);
}

// Kills the program and everything it started in its group, then reaps it.
// Called only while the program is unreaped, so `pid` still names it (a
// zombie keeps its pid and its group id from being reused).
void KillGroupAndReap(pid_t pid) {
  RunningGroups::Get().Unlist(pid);
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);  // in case it moved itself to another group
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

enum class StreamState { kOpen, kClosed, kOverflow };

constexpr size_t kReadSize = 16 * 1024;
// Reads of one pipe per poll() wakeup; poll() returns at once if more is left.
constexpr int kReadsPerWakeup = 8;
// Reads of each pipe after the program exited: more than it can have left in
// a pipe, and a bound against a descendant that keeps writing.
constexpr int kFinalReads = 64;

// Reads what the pipe holds now, without blocking, in at most `max_reads`
// reads: a program flooding stderr must not keep the loop from checking its
// deadline. Bytes past `limit` end the stream with kOverflow if
// `fail_over_limit`, and are dropped otherwise.
StreamState Drain(int fd, std::string* data, size_t limit, bool fail_over_limit,
                  char* buffer, size_t buffer_size, int max_reads) {
  for (int reads = 0; reads < max_reads;) {
    ssize_t n = read(fd, buffer, buffer_size);
    if (n < 0 && errno == EINTR) continue;
    ++reads;
    if (n > 0) {
      size_t room = limit - std::min(limit, data->size());
      if (static_cast<size_t>(n) > room) {
        if (fail_over_limit) return StreamState::kOverflow;
        data->append(buffer, room);
      } else {
        data->append(buffer, static_cast<size_t>(n));
      }
      continue;
    }
    if (n == 0) return StreamState::kClosed;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return StreamState::kOpen;
    return StreamState::kClosed;  // a read error ends the stream like EOF
  }
  return StreamState::kOpen;
}

struct Stream {
  UniqueFd fd;
  std::string* data;
  size_t limit;
  bool fail_over_limit;
};

}  // namespace

void StopAllSubprocesses() { RunningGroups::Get().StopAll(); }

absl::StatusOr<SubprocessResult> RunSubprocess(
    const SubprocessOptions& options) {
  if (options.argv.empty()) return absl::InternalError("empty argv");
  const std::string& program = options.argv[0];
  SubprocessResult result;
  Stream streams[2];
  UniqueFd out_w, err_w;
  absl::Status piped = MakePipe(&streams[0].fd, &out_w);
  if (piped.ok()) piped = MakePipe(&streams[1].fd, &err_w);
  if (!piped.ok()) return piped;
  // Reserved once so that appending never reallocates and leaves stray
  // copies of a token in freed memory.
  result.out.reserve(options.max_stdout);
  streams[0].data = &result.out;
  streams[0].limit = options.max_stdout;
  streams[0].fail_over_limit = true;
  streams[1].data = &result.err;
  streams[1].limit = options.max_stderr;
  streams[1].fail_over_limit = false;

  std::vector<char*> argv = CStrings(options.argv);
  std::vector<char*> envp = CStrings(options.env);
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return Errno("pipe2", errno);
  UniqueFd report_r(report[0]), report_w(report[1]);
  const ChildSetup setup = {
      program.c_str(),
      argv.data(),
      envp.data(),
      options.working_directory.empty() ? nullptr
                                        : options.working_directory.c_str(),
      out_w.get(),
      err_w.get(),
      report_w.get(),
      getpid(),
      static_cast<int>(std::min<long>(sysconf(_SC_OPEN_MAX), 1 << 16)),
  };
  bool stopping = false;
  int fork_error = 0;
  const pid_t pid = RunningGroups::Get().StartListed(
      [&setup, &fork_error] {
        const pid_t child = fork();
        if (child == 0) RunChild(setup);
        if (child < 0) fork_error = errno;
        return child;
      },
      &stopping);
  if (stopping) {
    return absl::UnavailableError(
        "the agent is stopping: no command is started");
  }
  if (pid < 0) return Errno("fork", fork_error);
  report_w.Reset();
  int exec_error = 0;
  ssize_t got;
  do {
    got = read(report_r.get(), &exec_error, sizeof(exec_error));
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    // The child exited without running the program: reap it.
    RunningGroups::Get().Unlist(pid);
    int ignored = 0;
    while (waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
    }
    if (exec_error == ENOMEM || exec_error == EAGAIN) {
      return Errno("execve", exec_error);
    }
    // Everything else is about the program or its directory: the user's to
    // fix, so say which file.
    return absl::NotFoundError(absl::StrCat(
        "command \"", program, "\" cannot be run: ", strerror(exec_error)));
  }
  // Our copies of the write ends must go, or the pipes never reach EOF.
  out_w.Reset();
  err_w.Reset();
  // Wakes the loop the moment the program exits. Without it (old kernels)
  // the loop polls waitpid() every few milliseconds instead.
  // (The raw syscall: glibc 2.36's <sys/pidfd.h> lacks extern "C".)
  UniqueFd exit_fd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));

  char buffer[kReadSize];
  const absl::Duration deadline = MonotonicNow() + options.timeout;
  bool exited = false;
  int wait_status = 0;
  auto give_up = [&](SubprocessResult::End end) {
    KillGroupAndReap(pid);
    explicit_bzero(buffer, sizeof(buffer));
    WipeString(&result.out);
    result.end = end;
    return result;
  };
  while (true) {
    if (exited) {
      // All it wrote before exiting is in the pipes now; a descendant that
      // still holds them open is not waited for.
      for (Stream& s : streams) {
        if (!s.fd.valid()) continue;
        if (Drain(s.fd.get(), s.data, s.limit, s.fail_over_limit, buffer,
                  sizeof(buffer), kFinalReads) == StreamState::kOverflow) {
          // Already reaped: nothing left to kill that we can name safely.
          explicit_bzero(buffer, sizeof(buffer));
          WipeString(&result.out);
          result.end = SubprocessResult::End::kOutputTooLarge;
          return result;
        }
      }
      break;
    }
    absl::Duration remaining = deadline - MonotonicNow();
    if (remaining <= absl::ZeroDuration()) {
      return give_up(SubprocessResult::End::kTimedOut);
    }
    pollfd fds[3];
    Stream* polled[3] = {nullptr, nullptr, nullptr};
    nfds_t count = 0;
    for (Stream& s : streams) {
      if (!s.fd.valid()) continue;
      polled[count] = &s;
      fds[count++] = {s.fd.get(), POLLIN, 0};
    }
    nfds_t exit_index = count;
    if (exit_fd.valid()) fds[count++] = {exit_fd.get(), POLLIN, 0};
    int64_t timeout_ms =
        absl::ToInt64Milliseconds(absl::Ceil(remaining, absl::Milliseconds(1)));
    if (!exit_fd.valid()) timeout_ms = std::min<int64_t>(timeout_ms, 10);
    timeout_ms = std::min<int64_t>(timeout_ms, INT_MAX);
    int ready = poll(fds, count, static_cast<int>(timeout_ms));
    if (ready < 0 && errno != EINTR) {
      int err = errno;
      give_up(SubprocessResult::End::kTimedOut);
      return Errno("poll", err);
    }
    for (nfds_t i = 0; ready > 0 && i < exit_index; ++i) {
      if (fds[i].revents == 0) continue;
      Stream& s = *polled[i];
      StreamState state = Drain(s.fd.get(), s.data, s.limit, s.fail_over_limit,
                                buffer, sizeof(buffer), kReadsPerWakeup);
      if (state == StreamState::kOverflow) {
        return give_up(SubprocessResult::End::kOutputTooLarge);
      }
      if (state == StreamState::kClosed) s.fd.Reset();
    }
    bool maybe_exited =
        !exit_fd.valid() || (ready > 0 && fds[exit_index].revents != 0);
    if (!maybe_exited) continue;
    // Looked at without reaping: the group is unlisted before its leader
    // goes (see RunningGroups).
    siginfo_t info;
    info.si_pid = 0;
    pid_t waited = waitid(P_PID, static_cast<id_t>(pid), &info,
                          WEXITED | WNOHANG | WNOWAIT);
    if (waited == 0 && info.si_pid == pid) {
      RunningGroups::Get().Unlist(pid);
      while ((waited = waitpid(pid, &wait_status, 0)) < 0 && errno == EINTR) {
      }
    }
    if (waited == pid) {
      exited = true;
    } else if (waited < 0 && errno == ECHILD) {
      // Someone set SIGCHLD to SIG_IGN, so the kernel reaped it for us.
      explicit_bzero(buffer, sizeof(buffer));
      WipeString(&result.out);
      return absl::InternalError(absl::StrCat(
          "command \"", program, "\" ended but its exit status was lost"));
    }
  }
  explicit_bzero(buffer, sizeof(buffer));
  if (WIFSIGNALED(wait_status)) {
    result.end = SubprocessResult::End::kSignaled;
    result.term_signal = WTERMSIG(wait_status);
  } else {
    result.end = SubprocessResult::End::kExited;
    result.exit_status = WEXITSTATUS(wait_status);
  }
  return result;
}

}  // namespace mcpcred::command

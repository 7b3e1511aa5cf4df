#include "plugins/command/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

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

// posix_spawn's attribute objects with their destructors.
class SpawnSetup {
 public:
  SpawnSetup() {
    actions_ok_ = posix_spawn_file_actions_init(&actions_) == 0;
    attr_ok_ = posix_spawnattr_init(&attr_) == 0;
  }
  ~SpawnSetup() {
    if (actions_ok_) posix_spawn_file_actions_destroy(&actions_);
    if (attr_ok_) posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // Returns 0 or an errno value, as the posix_spawn functions do.
  int Configure(int out_fd, int err_fd, const std::string& working_directory) {
    if (!actions_ok_ || !attr_ok_) return ENOMEM;
    int rc = posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null",
                                              O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions_, out_fd, 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions_, err_fd, 2);
    if (rc == 0 && !working_directory.empty()) {
      rc = posix_spawn_file_actions_addchdir_np(&actions_,
                                                working_directory.c_str());
    }
    // Defence in depth: the agent opens everything O_CLOEXEC, but a library
    // it links might not, and the program must not inherit the listening
    // socket or a store file.
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
    if (rc != 0) return rc;

    // A process group of its own, so a timeout kills the helpers it started.
    // The agent blocks SIGTERM/SIGINT/SIGHUP in every thread and gRPC ignores
    // SIGPIPE; both would survive execve and confuse the program.
    rc = posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETPGROUP |
                                              POSIX_SPAWN_SETSIGMASK |
                                              POSIX_SPAWN_SETSIGDEF);
    if (rc == 0) rc = posix_spawnattr_setpgroup(&attr_, 0);
    sigset_t none;
    sigemptyset(&none);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr_, &none);
    sigset_t standard;
    sigemptyset(&standard);
    for (int sig = 1; sig < 32; ++sig) {
      if (sig != SIGKILL && sig != SIGSTOP) sigaddset(&standard, sig);
    }
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr_, &standard);
    return rc;
  }

  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attr() const { return &attr_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
  bool actions_ok_ = false;
  bool attr_ok_ = false;
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

void WipeString(std::string* s) {
  explicit_bzero(s->data(), s->size());
  s->clear();
}

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

  SpawnSetup setup;
  int rc = setup.Configure(out_w.get(), err_w.get(), options.working_directory);
  if (rc != 0) return Errno("posix_spawn setup", rc);
  std::vector<char*> argv = CStrings(options.argv);
  std::vector<char*> envp = CStrings(options.env);
  pid_t pid = -1;
  rc = posix_spawn(&pid, program.c_str(), setup.actions(), setup.attr(),
                   argv.data(), envp.data());
  if (rc != 0) {
    if (rc == ENOMEM || rc == EAGAIN) return Errno("posix_spawn", rc);
    // Everything else is about the program or its directory: the user's to
    // fix, so say which file.
    return absl::NotFoundError(absl::StrCat(
        "command \"", program, "\" cannot be run: ", strerror(rc)));
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
    pid_t waited = waitpid(pid, &wait_status, WNOHANG);
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

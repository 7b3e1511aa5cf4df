#include "agent/policy/caller_identity.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77  // Linux 6.5; newer than Debian 12's headers
#endif

namespace mcpcred {
namespace {

constexpr absl::string_view kDeleted = " (deleted)";

std::string ProcPath(pid_t pid, absl::string_view entry) {
  return absl::StrCat("/proc/", pid, "/", entry);
}

std::optional<std::string> ReadSmallFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  while (text.size() < (1 << 16)) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

}  // namespace

int PidfdOpen(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

int PidfdProbe(int pidfd) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, 0, nullptr, 0));
}

int OpenPeerPidfd(int socket_fd, pid_t pid) {
  int pidfd = -1;
  socklen_t len = sizeof(pidfd);
  if (getsockopt(socket_fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) == 0 &&
      pidfd >= 0) {
    return pidfd;
  }
  // The peer may have gone; then this names nothing or another process,
  // which IdentifyProcess cannot tell apart from the peer (documented).
  return pid > 0 ? PidfdOpen(pid) : -1;
}

std::optional<uint64_t> ParseStartTime(absl::string_view stat_text) {
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses.
  const size_t close = stat_text.rfind(')');
  if (close == absl::string_view::npos) return std::nullopt;
  std::vector<absl::string_view> fields =
      absl::StrSplit(stat_text.substr(close + 1), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); start time is field 22.
  uint64_t start = 0;
  if (fields.size() < 20 || !absl::SimpleAtoi(fields[19], &start)) {
    return std::nullopt;
  }
  return start;
}

std::optional<uint64_t> ReadStartTime(pid_t pid) {
  std::optional<std::string> text = ReadSmallFile(ProcPath(pid, "stat"));
  if (!text.has_value()) return std::nullopt;
  return ParseStartTime(*text);
}

std::optional<std::string> ParseCgroupV2Path(absl::string_view cgroup_text) {
  for (absl::string_view line : absl::StrSplit(cgroup_text, '\n')) {
    if (absl::ConsumePrefix(&line, "0::")) return std::string(line);
  }
  return std::nullopt;
}

std::string UnitOfCgroup(absl::string_view cgroup_path) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(cgroup_path, '/', absl::SkipEmpty());
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (absl::EndsWith(*it, ".service") || absl::EndsWith(*it, ".scope")) {
      return std::string(*it);
    }
  }
  return "";
}

absl::StatusOr<CallerIdentity> IdentifyProcess(int pidfd, pid_t pid) {
  if (pidfd < 0 || pid <= 0) {
    return absl::NotFoundError(
        absl::StrCat("the caller (pid ", pid, ") cannot be identified"));
  }
  CallerIdentity caller;
  caller.pid = pid;
  std::optional<uint64_t> start = ReadStartTime(pid);
  if (!start.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read /proc/", pid, "/stat of the caller"));
  }
  caller.start_time = *start;
  char exe[PATH_MAX];
  const std::string exe_link = ProcPath(pid, "exe");
  ssize_t n = readlink(exe_link.c_str(), exe, sizeof(exe) - 1);
  if (n > 0) {
    absl::string_view path(exe, static_cast<size_t>(n));
    caller.executable_deleted = absl::ConsumeSuffix(&path, kDeleted);
    caller.executable = std::string(path);
    struct stat st;
    if (stat(exe_link.c_str(), &st) == 0) {
      caller.executable_dev = st.st_dev;
      caller.executable_ino = st.st_ino;
    }
  }
  std::optional<std::string> cgroups = ReadSmallFile(ProcPath(pid, "cgroup"));
  if (cgroups.has_value()) {
    caller.cgroup = ParseCgroupV2Path(*cgroups).value_or("");
    caller.unit = UnitOfCgroup(caller.cgroup);
  }
  // Alive now, so alive while the reads above ran: /proc/PID was this
  // process, not one that took its pid after it exited.
  if (PidfdProbe(pidfd) != 0) {
    return absl::UnavailableError(
        absl::StrCat("the caller (pid ", pid, ") exited"));
  }
  if (ReadStartTime(pid) != caller.start_time) {
    return absl::UnavailableError(
        absl::StrCat("the caller (pid ", pid, ") exited"));
  }
  return caller;
}

std::string DescribeCaller(const CallerIdentity& caller) {
  std::string text =
      caller.executable.empty() ? "an unknown executable" : caller.executable;
  if (caller.executable_deleted) absl::StrAppend(&text, kDeleted);
  absl::StrAppend(&text, " (pid ", caller.pid);
  if (!caller.unit.empty()) absl::StrAppend(&text, ", unit ", caller.unit);
  absl::StrAppend(&text, ")");
  return text;
}

}  // namespace mcpcred

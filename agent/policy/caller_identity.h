// Who a caller process is, from the kernel: its executable, its start time,
// its cgroup v2 path and systemd unit. Read from /proc/PID through a pidfd
// so that a pid recycled by another process cannot pass for the caller.
//
// Thread-safety: plain values and functions without shared state.
#ifndef MCPCRED_AGENT_POLICY_CALLER_IDENTITY_H_
#define MCPCRED_AGENT_POLICY_CALLER_IDENTITY_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcred {

struct CallerIdentity {
  pid_t pid = 0;
  // Field 22 of /proc/PID/stat (clock ticks after boot): with the pid, names
  // one process for the life of the system.
  uint64_t start_time = 0;
  // The executable's path as the kernel reports it; "" if unreadable.
  std::string executable;
  // The file was replaced or removed since the process started (the kernel
  // adds " (deleted)", stripped from `executable`): no exe: rule matches.
  bool executable_deleted = false;
  // The executable file itself, to compare with a known binary.
  dev_t executable_dev = 0;
  ino_t executable_ino = 0;
  std::string cgroup;  // cgroup v2 path, e.g. /user.slice/.../app.scope
  std::string unit;    // systemd unit from `cgroup`, "" if none
};

// pidfd_open(2) and pidfd_send_signal(pid, 0): through syscall(), since
// Debian 12's <sys/pidfd.h> lacks extern "C". -1 / errno on failure.
int PidfdOpen(pid_t pid);
// 0 while the pidfd's process lives (a zombie included).
int PidfdProbe(int pidfd);

// Opens a pidfd for the peer of a connected Unix socket: SO_PEERPIDFD (Linux
// 6.5 and later) names the very process that connected; on older kernels,
// pidfd_open(`pid`). Returns the fd (the caller owns it), or -1.
int OpenPeerPidfd(int socket_fd, pid_t pid);

// Identifies the process of `pidfd` (whose pid is `pid`). Reads /proc/PID,
// then checks that the pidfd's process is still alive: a pid is only reused
// after its process is gone, so what was read belongs to it. Returns
// UNAVAILABLE "the caller (pid N) exited" when it has gone, NOT_FOUND when
// /proc/PID cannot be read.
absl::StatusOr<CallerIdentity> IdentifyProcess(int pidfd, pid_t pid);

// The start time (field 22) in /proc/PID/stat text; nullopt if malformed.
std::optional<uint64_t> ParseStartTime(absl::string_view stat_text);
// The start time of process `pid` now; nullopt if it is gone.
std::optional<uint64_t> ReadStartTime(pid_t pid);

// The cgroup v2 path in /proc/PID/cgroup text (the "0::PATH" line);
// nullopt if there is none.
std::optional<std::string> ParseCgroupV2Path(absl::string_view cgroup_text);
// The systemd unit of a cgroup path: its last component that ends in
// ".service" or ".scope" ("" if none), e.g. "app-code-1.scope" for
// /user.slice/user-1000.slice/user@1000.service/app.slice/app-code-1.scope.
std::string UnitOfCgroup(absl::string_view cgroup_path);

// "/usr/bin/node (pid 42, unit app-code-1.scope)", for prompts and
// messages.
std::string DescribeCaller(const CallerIdentity& caller);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_CALLER_IDENTITY_H_

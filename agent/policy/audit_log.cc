#include "agent/policy/audit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/util/fs.h"
#include "agent/util/log.h"
#include "nlohmann/json.hpp"

namespace mcpcred {

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    const std::string& path) {
  absl::Status dir = MakePrivateDirs(Dirname(path));
  if (!dir.ok()) return dir;
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open audit log ", path, ": ", strerror(errno)));
  }
  return std::unique_ptr<AuditLog>(new AuditLog(path, fd));
}

AuditLog::~AuditLog() {
  absl::MutexLock lock(&mu_);
  close(fd_);
}

std::string AuditLog::Format(const AuditEvent& event) {
  nlohmann::json line = {
      {"time", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", event.time,
                                absl::UTCTimeZone())},
      {"pid", event.peer.pid},
      {"uid", event.peer.uid},
      {"exe", event.peer.executable},
      {"credential", event.credential},
      {"outcome", event.outcome},
  };
  // Replace invalid UTF-8 (a hostile credential name) instead of failing.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AuditLog::Append(const AuditEvent& event) {
  std::string line = Format(event) + "\n";
  absl::MutexLock lock(&mu_);
  ssize_t n = write(fd_, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size()) && !warned_) {
    warned_ = true;
    LogWarning("cannot write audit log ", path_, ": ", strerror(errno));
  }
}

}  // namespace mcpcred

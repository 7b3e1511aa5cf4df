// The audit log: one JSON line per credential hand-out, appended to
// $XDG_STATE_HOME/mcpcred/audit.log. It records who asked for what and what
// came of it, never a value.
#ifndef MCPCRED_AGENT_POLICY_AUDIT_LOG_H_
#define MCPCRED_AGENT_POLICY_AUDIT_LOG_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/policy/peer.h"

namespace mcpcred {

struct AuditEvent {
  absl::Time time;
  PeerCredentials peer;
  std::string credential;
  std::string outcome;  // "ok" or the gRPC code name, e.g. "NOT_FOUND"
};

// Thread-safe.
class AuditLog {
 public:
  // Opens (creating 0600, and the directory 0700) `path` for appending.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      const std::string& path);
  ~AuditLog();

  // Appends one line; a failed write is logged once, never fatal.
  void Append(const AuditEvent& event);
  const std::string& path() const { return path_; }

  // The JSON line for `event`, without the trailing newline.
  static std::string Format(const AuditEvent& event);

 private:
  AuditLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  const std::string path_;
  const int fd_;  // O_APPEND: each line is one atomic write()
  absl::Mutex mu_;
  bool warned_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_AUDIT_LOG_H_

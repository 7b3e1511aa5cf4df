// The audit log: one JSON line per credential hand-out, appended to
// $XDG_STATE_HOME/mcpcred/audit.log. It records who asked for what and what
// came of it, never a value.
#ifndef MCPCRED_AGENT_POLICY_AUDIT_LOG_H_
#define MCPCRED_AGENT_POLICY_AUDIT_LOG_H_

#include <atomic>
#include <cstdint>
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
  // What the caller policy decided ("not allowed", "confirmed", ...); "" when
  // the credential has no rules. Left out of the line when empty. The
  // initializer lets {time, peer, credential, outcome} leave it out.
  std::string policy = {};
};

// Past this size the log is renamed to PATH.1 (replacing an older one) and a
// new one begun: two files of at most this size each.
inline constexpr uint64_t kAuditLogMaxBytes = 10 << 20;

// Thread-safe.
class AuditLog {
 public:
  // Opens (creating 0600, and the directory 0700) `path` for appending.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      const std::string& path, uint64_t max_bytes = kAuditLogMaxBytes);
  ~AuditLog();

  // Appends one line, first rotating the file if the line would take it past
  // max_bytes. Never fatal: a failed write (a full disk, a read-only
  // directory) is logged once and kept for error() until a write succeeds.
  void Append(const AuditEvent& event);
  const std::string& path() const { return path_; }
  // Why hand-outs are not being recorded now ("cannot write audit log PATH:
  // No space left on device"), or "" while they are: for `mcpcred status`.
  std::string error() const;

  // The JSON line for `event`, without the trailing newline.
  static std::string Format(const AuditEvent& event);

 private:
  AuditLog(std::string path, int fd, uint64_t size, uint64_t max_bytes)
      : path_(std::move(path)), max_bytes_(max_bytes), fd_(fd), size_(size) {}

  // Renames the log to PATH.1 and opens a fresh one. Needs the writer lock.
  void RotateLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RecordError(std::string error) ABSL_LOCKS_EXCLUDED(error_mu_);

  const std::string path_;
  const uint64_t max_bytes_;
  // Appends hold mu_ shared, so they do not queue behind each other; a
  // rotation holds it exclusively while it swaps the file.
  mutable absl::Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_);  // O_APPEND: each line is one atomic write()
  std::atomic<uint64_t> size_;   // bytes in the current file, about
  mutable absl::Mutex error_mu_;
  std::string error_ ABSL_GUARDED_BY(error_mu_);
  bool warned_ ABSL_GUARDED_BY(error_mu_) = false;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_AUDIT_LOG_H_

// The caller process behind each open connection, kept from accept() to the
// connection's end: a pidfd taken at accept (caller_identity.h), and the
// caller's identity, read from /proc once, at the first request that needs
// it, then kept for the connection. Requests for credentials without rules
// never read /proc.
#ifndef MCPCRED_AGENT_POLICY_CALLER_TABLE_H_
#define MCPCRED_AGENT_POLICY_CALLER_TABLE_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/policy/caller_identity.h"

namespace mcpcred {

// Thread-safe.
class ConnectedCaller {
 public:
  // Takes ownership of `pidfd` (-1: none could be opened).
  ConnectedCaller(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  ~ConnectedCaller();
  ConnectedCaller(const ConnectedCaller&) = delete;
  ConnectedCaller& operator=(const ConnectedCaller&) = delete;

  pid_t pid() const { return pid_; }
  // The caller's identity, read on the first call (IdentifyProcess); later
  // calls return the same result.
  absl::StatusOr<CallerIdentity> Identity();

 private:
  const pid_t pid_;
  const int pidfd_;
  absl::Mutex mu_;
  std::optional<absl::StatusOr<CallerIdentity>> identity_ ABSL_GUARDED_BY(mu_);
};

// Thread-safe. gRPC names a connection handed over by fd "fd:N".
class CallerTable {
 public:
  // Records the caller of a newly accepted fd, replacing any earlier one.
  void Record(int fd, std::shared_ptr<ConnectedCaller> caller);
  // Forgets the caller of a connection that has ended.
  void Forget(int fd);
  // The caller of a gRPC peer ("fd:N"); null when unknown.
  std::shared_ptr<ConnectedCaller> Lookup(const std::string& grpc_peer) const;

 private:
  mutable absl::Mutex mu_;
  std::map<int, std::shared_ptr<ConnectedCaller>> callers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_CALLER_TABLE_H_

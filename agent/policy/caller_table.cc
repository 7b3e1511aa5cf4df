#include "agent/policy/caller_table.h"

#include <unistd.h>

#include "agent/policy/peer_table.h"

namespace mcpcred {

ConnectedCaller::~ConnectedCaller() {
  if (pidfd_ >= 0) close(pidfd_);
}

absl::StatusOr<CallerIdentity> ConnectedCaller::Identity() {
  absl::MutexLock lock(&mu_);
  if (!identity_.has_value()) identity_ = IdentifyProcess(pidfd_, pid_);
  return *identity_;
}

void CallerTable::Record(int fd, std::shared_ptr<ConnectedCaller> caller) {
  absl::MutexLock lock(&mu_);
  callers_[fd] = std::move(caller);
}

void CallerTable::Forget(int fd) {
  absl::MutexLock lock(&mu_);
  callers_.erase(fd);
}

std::shared_ptr<ConnectedCaller> CallerTable::Lookup(
    const std::string& grpc_peer) const {
  const int fd = FdOfGrpcPeer(grpc_peer);
  if (fd < 0) return nullptr;
  absl::MutexLock lock(&mu_);
  auto it = callers_.find(fd);
  return it == callers_.end() ? nullptr : it->second;
}

}  // namespace mcpcred

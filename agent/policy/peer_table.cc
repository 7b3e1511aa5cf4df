#include "agent/policy/peer_table.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace mcpcred {

void PeerTable::Record(int fd, const PeerCredentials& peer) {
  absl::MutexLock lock(&mu_);
  peers_[fd] = peer;
}

PeerCredentials PeerTable::Lookup(const std::string& grpc_peer) const {
  PeerCredentials unknown;
  unknown.uid = static_cast<uid_t>(-1);
  int fd = -1;
  if (!absl::StartsWith(grpc_peer, "fd:") ||
      !absl::SimpleAtoi(grpc_peer.substr(3), &fd)) {
    return unknown;
  }
  absl::MutexLock lock(&mu_);
  auto it = peers_.find(fd);
  return it == peers_.end() ? unknown : it->second;
}

}  // namespace mcpcred

#include "agent/policy/peer_table.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace mcpcred {

int FdOfGrpcPeer(const std::string& grpc_peer) {
  int fd = -1;
  if (!absl::StartsWith(grpc_peer, "fd:") ||
      !absl::SimpleAtoi(grpc_peer.substr(3), &fd) || fd < 0) {
    return -1;
  }
  return fd;
}

void PeerTable::Record(int fd, const PeerCredentials& peer) {
  absl::MutexLock lock(&mu_);
  peers_[fd] = peer;
}

PeerCredentials PeerTable::Lookup(const std::string& grpc_peer) const {
  PeerCredentials unknown;
  unknown.uid = static_cast<uid_t>(-1);
  const int fd = FdOfGrpcPeer(grpc_peer);
  if (fd < 0) return unknown;
  absl::MutexLock lock(&mu_);
  auto it = peers_.find(fd);
  return it == peers_.end() ? unknown : it->second;
}

}  // namespace mcpcred

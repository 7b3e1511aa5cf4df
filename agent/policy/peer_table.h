// The peer of each open connection, recorded when the agent accepts it, so a
// request can be attributed (for the audit log) without a syscall per call.
// gRPC names a connection handed over by fd "fd:N".
#ifndef MCPCRED_AGENT_POLICY_PEER_TABLE_H_
#define MCPCRED_AGENT_POLICY_PEER_TABLE_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/policy/peer.h"

namespace mcpcred {

// The fd of a gRPC peer string "fd:N"; -1 for any other peer.
int FdOfGrpcPeer(const std::string& grpc_peer);

// Thread-safe.
class PeerTable {
 public:
  // Records the peer of a newly accepted fd, replacing whatever an earlier
  // connection with the same fd number left.
  void Record(int fd, const PeerCredentials& peer);
  // The peer for a gRPC peer string ("fd:N"); pid 0 and uid -1 when unknown.
  PeerCredentials Lookup(const std::string& grpc_peer) const;

 private:
  mutable absl::Mutex mu_;
  std::map<int, PeerCredentials> peers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_PEER_TABLE_H_

// Accepts connections on the agent's socket itself, so it can check each peer
// (SO_PEERCRED) before gRPC sees a byte, then hands the connection to gRPC.
// Connections from any uid other than the agent's own are logged and closed,
// and so is any connection past kMaxConnections open at once: a client that
// opens connections and never closes them would otherwise use up the agent's
// descriptors. Each of these events, and accept() failures, is logged at
// most once per 10 s with a count of the others.
#ifndef MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_
#define MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_

#include <grpcpp/server.h>
#include <sys/types.h>

#include <thread>
#include <utility>
#include <vector>

#include "agent/policy/caller_table.h"
#include "agent/policy/peer_table.h"
#include "agent/util/log_throttle.h"

namespace mcpcred {

// Far more than any number of MCP hosts and exec'd servers a person runs, and
// well below the usual limit of 1024 descriptors. The config has no [agent]
// table to make it configurable; a constant until someone needs one.
inline constexpr size_t kMaxConnections = 512;

// Thread-compatible: Start() and Stop() from one thread.
class ConnectionAcceptor {
 public:
  // `server`, `peers` and `callers` must outlive the acceptor; `callers` may
  // be null (no caller policy). Does not own listen_fd.
  ConnectionAcceptor(int listen_fd, grpc::Server* server, PeerTable* peers,
                     CallerTable* callers = nullptr);
  ~ConnectionAcceptor();

  // Starts the accept loop on its own thread. Returns false if the wake-up
  // pipe cannot be created.
  bool Start();
  // Stops accepting and joins the thread. Idempotent.
  void Stop();

 private:
  void Loop();
  void AcceptOne();
  // Forgets the connections gRPC has closed since; returns how many remain.
  size_t CountOpen();

  const int listen_fd_;
  grpc::Server* const server_;
  PeerTable* const peers_;
  CallerTable* const callers_;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  // Used by the accept thread only. The connections handed to gRPC, as
  // (fd, inode): gRPC closes the fd when the connection ends, and then the
  // number names nothing or another socket, with another inode.
  std::vector<std::pair<int, ino_t>> open_;
  LogThrottle accept_failed_{absl::Seconds(10)};
  LogThrottle refused_uid_{absl::Seconds(10)};
  LogThrottle refused_full_{absl::Seconds(10)};
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_

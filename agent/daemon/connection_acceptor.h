// Accepts connections on the agent's socket itself, so it can check each peer
// (SO_PEERCRED) before gRPC sees a byte, then hands the connection to gRPC.
// Connections from any uid other than the agent's own are logged and closed.
#ifndef MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_
#define MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_

#include <grpcpp/server.h>

#include <thread>

#include "agent/policy/peer_table.h"

namespace mcpcred {

// Thread-compatible: Start() and Stop() from one thread.
class ConnectionAcceptor {
 public:
  // `server` and `peers` must outlive the acceptor. Does not own listen_fd.
  ConnectionAcceptor(int listen_fd, grpc::Server* server, PeerTable* peers);
  ~ConnectionAcceptor();

  // Starts the accept loop on its own thread. Returns false if the wake-up
  // pipe cannot be created.
  bool Start();
  // Stops accepting and joins the thread. Idempotent.
  void Stop();

 private:
  void Loop();
  void AcceptOne();

  const int listen_fd_;
  grpc::Server* const server_;
  PeerTable* const peers_;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_

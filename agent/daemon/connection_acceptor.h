// Accepts connections on the agent's sockets itself, so it can check each
// peer (SO_PEERCRED) before gRPC sees a byte, then hands the connection to
// the gRPC server of the socket it came in on. Connections from any uid other
// than the agent's own are logged and closed.
//
// One thread serves every socket: the connections handed to gRPC are tracked
// by descriptor number, and gRPC closes them without telling, so a number
// seen closed may already name a connection accepted on another socket. With
// one thread, and one table, no two acceptors can take each other's numbers
// (ThreadSanitizer showed a second acceptor's thread forgetting the caller of
// a connection the other had just recorded under a reused number).
//
// Idle or slow connections must not stop the agent serving its user: a
// connection goes to gRPC only once its client has sent something (a gRPC
// client sends its preface at once), so the connections that never speak
// stay here, cost no gRPC state, and are closed after kSilenceLimit, or
// oldest first when kMaxSilent of them wait, so that a new client always
// gets in. Past kMaxConnections open in gRPC, new ones are closed. Each of
// these events, and accept() failures, is logged at most once per 10 s with
// a count of the others.
#ifndef MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_
#define MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_

#include <grpcpp/server.h>
#include <sys/types.h>

#include <deque>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "agent/policy/caller_table.h"
#include "agent/policy/peer.h"
#include "agent/policy/peer_table.h"
#include "agent/util/log_throttle.h"

namespace mcpcred {

// Far more than any number of MCP hosts and exec'd servers a person runs.
// The agent raises its descriptor limit to hold them (RaiseDescriptorLimit);
// under a lower hard limit both caps shrink to fit. The config has no
// [agent] table to make them configurable; constants until someone needs.
inline constexpr size_t kMaxConnections = 4096;
inline constexpr size_t kMaxSilent = 1024;
inline constexpr absl::Duration kSilenceLimit = absl::Seconds(10);

// Raises the soft limit on open descriptors towards the hard one (to what
// the caps above need) and returns the limit in force.
size_t RaiseDescriptorLimit();

// A listening socket and the gRPC server its connections go to.
struct AcceptorListener {
  int fd;
  grpc::Server* server;
};

// Thread-compatible: Start() and Stop() from one thread.
class ConnectionAcceptor {
 public:
  // The servers, `peers` and `callers` must outlive the acceptor; `callers`
  // may be null (no caller policy). Does not own the listening sockets. The
  // caps count the connections of all of them together.
  ConnectionAcceptor(std::vector<AcceptorListener> listeners, PeerTable* peers,
                     CallerTable* callers = nullptr);
  ~ConnectionAcceptor();

  // Starts the accept loop on its own thread. Returns false if the wake-up
  // pipe cannot be created.
  bool Start();
  // Stops accepting and joins the thread. Idempotent.
  void Stop();

 private:
  struct Silent {
    int fd;
    absl::Time since;
    PeerCredentials peer;
    grpc::Server* server;
  };

  void Loop();
  void AcceptOne(const AcceptorListener& listener);
  // Hands the connection to `server`, or closes it when gRPC holds the most.
  void HandOff(int fd, const PeerCredentials& peer, grpc::Server* server);
  // Acts on the silent connections: hands over those that spoke, closes
  // those that hung up or stayed silent too long.
  void CheckSilent(const std::vector<short>& revents);
  // Closes the silent connection that waited longest.
  void DropOldestSilent();
  // Forgets the connections gRPC has closed since; returns how many remain.
  size_t CountOpen();

  const std::vector<AcceptorListener> listeners_;
  PeerTable* const peers_;
  CallerTable* const callers_;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  // Used by the accept thread only. The connections handed to gRPC, as
  // (fd, inode): gRPC closes the fd when the connection ends, and then the
  // number names nothing or another socket, with another inode.
  std::vector<std::pair<int, ino_t>> open_;
  // Accepted and checked, waiting for their client's first bytes; oldest
  // first.
  std::deque<Silent> silent_;
  size_t max_connections_ = kMaxConnections;
  size_t max_silent_ = kMaxSilent;
  LogThrottle accept_failed_{absl::Seconds(10)};
  LogThrottle dropped_silent_{absl::Seconds(10)};
  LogThrottle refused_uid_{absl::Seconds(10)};
  LogThrottle refused_full_{absl::Seconds(10)};
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_CONNECTION_ACCEPTOR_H_

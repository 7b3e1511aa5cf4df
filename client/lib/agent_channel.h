// The client's connection to the agent: made by the client itself and checked
// (ConnectToTrustedAgent: safe directories, the listener runs as this user)
// before gRPC gets the connected socket, so gRPC never dials a path on its
// own. A broken connection (the agent restarted) is made again, with the same
// checks, when it is next needed.
#ifndef MCPCRED_CLIENT_LIB_AGENT_CHANNEL_H_
#define MCPCRED_CLIENT_LIB_AGENT_CHANNEL_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred::client_internal {

// One checked connection and the stub that uses it. Callers hold it (a
// shared_ptr) for the length of a call; it closes when the last holder lets
// go.
class AgentConnection {
 public:
  // Takes ownership of `fd`, a connected, verified socket.
  explicit AgentConnection(int fd);
  ~AgentConnection();

  AgentConnection(const AgentConnection&) = delete;
  AgentConnection& operator=(const AgentConnection&) = delete;

  v1::Agent::Stub& stub() { return *stub_; }

  // True once the agent has closed its end. gRPC gives no state for a
  // channel made from a socket, so a duplicate of the socket is polled.
  bool HungUp() const;

 private:
  int probe_fd_ = -1;
  std::unique_ptr<v1::Agent::Stub> stub_;
};

// Thread-safe.
class AgentChannel {
 public:
  explicit AgentChannel(std::string socket_path)
      : socket_path_(std::move(socket_path)) {}

  // The current connection, or a new one when there is none or the agent hung
  // up. Errors: AgentUnreachableError() when nothing listens; otherwise
  // ConnectToTrustedAgent's (PERMISSION_DENIED for a refused agent or an
  // unsafe directory).
  absl::StatusOr<std::shared_ptr<AgentConnection>> Get();

  // Forgets `connection` if it is still the current one, so that the next
  // Get() connects again: after a call failed with UNAVAILABLE.
  void Drop(const std::shared_ptr<AgentConnection>& connection);

 private:
  const std::string socket_path_;
  absl::Mutex mu_;
  std::shared_ptr<AgentConnection> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred::client_internal

#endif  // MCPCRED_CLIENT_LIB_AGENT_CHANNEL_H_

#include "agent_channel.h"

#include <fcntl.h>
#include <grpcpp/create_channel_posix.h>
#include <poll.h>
#include <unistd.h>

#include <utility>

#include "agent_unreachable.h"
#include "mcpcred/common/trusted_agent.h"

namespace mcpcred::client_internal {

AgentConnection::AgentConnection(int fd)
    : probe_fd_(fcntl(fd, F_DUPFD_CLOEXEC, 0)) {
  // gRPC's event engine needs a non-blocking socket.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  stub_ = v1::Agent::NewStub(
      grpc::CreateInsecureChannelFromFd("mcpcred-agent", fd));
}

AgentConnection::~AgentConnection() {
  stub_.reset();
  if (probe_fd_ >= 0) close(probe_fd_);
}

bool AgentConnection::HungUp() const {
  // Without a probe nothing tells a dead connection: UNAVAILABLE will.
  if (probe_fd_ < 0) return false;
  pollfd probe = {probe_fd_, POLLRDHUP, 0};
  if (poll(&probe, 1, 0) <= 0) return false;
  return (probe.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

absl::StatusOr<std::shared_ptr<AgentConnection>> AgentChannel::Get() {
  absl::MutexLock lock(&mu_);
  if (current_ != nullptr && !current_->HungUp()) return current_;
  current_ = nullptr;
  absl::StatusOr<TrustedAgentSocket> socket =
      ConnectToTrustedAgent(socket_path_);
  if (!socket.ok()) {
    if (absl::IsUnavailable(socket.status())) {
      return AgentUnreachableError(socket_path_);
    }
    return socket.status();
  }
  current_ = std::make_shared<AgentConnection>(socket->fd);
  return current_;
}

void AgentChannel::Drop(const std::shared_ptr<AgentConnection>& connection) {
  absl::MutexLock lock(&mu_);
  if (current_ == connection) current_ = nullptr;
}

}  // namespace mcpcred::client_internal

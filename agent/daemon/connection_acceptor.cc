#include "agent/daemon/connection_acceptor.h"

#include <fcntl.h>
#include <grpcpp/server_posix.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/time/clock.h"
#include "agent/policy/peer.h"
#include "agent/util/log.h"

namespace mcpcred {

ConnectionAcceptor::ConnectionAcceptor(int listen_fd, grpc::Server* server,
                                       PeerTable* peers, CallerTable* callers)
    : listen_fd_(listen_fd),
      server_(server),
      peers_(peers),
      callers_(callers) {}

ConnectionAcceptor::~ConnectionAcceptor() { Stop(); }

bool ConnectionAcceptor::Start() {
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) return false;
  thread_ = std::thread([this] { Loop(); });
  return true;
}

void ConnectionAcceptor::Stop() {
  if (!thread_.joinable()) return;
  char byte = 0;
  ssize_t ignored = write(wake_[1], &byte, 1);
  (void)ignored;
  thread_.join();
  close(wake_[0]);
  close(wake_[1]);
}

void ConnectionAcceptor::Loop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      LogError("poll on the agent socket failed: ", strerror(errno));
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents != 0) AcceptOne();
  }
}

size_t ConnectionAcceptor::CountOpen() {
  std::erase_if(open_, [this](const std::pair<int, ino_t>& connection) {
    struct stat st;
    const bool closed = fstat(connection.first, &st) != 0 ||
                        !S_ISSOCK(st.st_mode) || st.st_ino != connection.second;
    if (closed && callers_ != nullptr) callers_->Forget(connection.first);
    return closed;
  });
  return open_.size();
}

void ConnectionAcceptor::AcceptOne() {
  // gRPC's event engine needs a non-blocking fd, or the connection hangs.
  int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == EAGAIN || err == EINTR || err == ECONNABORTED) return;
    if (accept_failed_.Allow(absl::Now())) {
      LogWarning("accept failed: ", strerror(err), accept_failed_.Suffix());
    }
    if (err == EMFILE || err == ENFILE) usleep(100 * 1000);
    return;
  }
  absl::StatusOr<PeerCredentials> peer = GetPeerCredentials(fd);
  if (!peer.ok()) {
    LogWarning("refused a connection: ", peer.status().message());
    close(fd);
    return;
  }
  if (peer->uid != geteuid()) {
    if (refused_uid_.Allow(absl::Now())) {
      LogWarning(
          "refused a connection from uid ", peer->uid, " (pid ", peer->pid,
          ", ",
          peer->executable.empty() ? "unknown executable" : peer->executable,
          "): only uid ", geteuid(), " may use this agent",
          refused_uid_.Suffix());
    }
    close(fd);
    return;
  }
  if (CountOpen() >= kMaxConnections) {
    if (refused_full_.Allow(absl::Now())) {
      LogWarning(
          "refused a connection from pid ", peer->pid, " (",
          peer->executable.empty() ? "unknown executable" : peer->executable,
          "): ", kMaxConnections, " connections are open already; close some",
          refused_full_.Suffix());
    }
    close(fd);
    return;
  }
  struct stat st;
  if (fstat(fd, &st) == 0) open_.emplace_back(fd, st.st_ino);
  peers_->Record(fd, *peer);
  if (callers_ != nullptr) {
    // The pidfd now, while the peer surely lives; /proc is read only when a
    // credential's rules need it.
    callers_->Record(fd, std::make_shared<ConnectedCaller>(
                             peer->pid, OpenPeerPidfd(fd, peer->pid)));
  }
  grpc::AddInsecureChannelFromFd(server_, fd);
}

}  // namespace mcpcred

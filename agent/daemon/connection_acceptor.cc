#include "agent/daemon/connection_acceptor.h"

#include <fcntl.h>
#include <grpcpp/server_posix.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/time/clock.h"
#include "agent/policy/peer.h"
#include "agent/util/log.h"

namespace mcpcred {

size_t RaiseDescriptorLimit() {
  // Both caps (a served connection holds two descriptors: the socket and
  // its caller's pidfd), and room for the rest of the agent (plugins, files,
  // HTTP).
  constexpr rlim_t kWanted = 2 * kMaxConnections + kMaxSilent + 1024;
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < kWanted && limit.rlim_cur < limit.rlim_max) {
    struct rlimit raised = limit;
    raised.rlim_cur = std::min(kWanted, limit.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<size_t>(limit.rlim_cur);
}

ConnectionAcceptor::ConnectionAcceptor(std::vector<AcceptorListener> listeners,
                                       PeerTable* peers, CallerTable* callers)
    : listeners_(std::move(listeners)), peers_(peers), callers_(callers) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    const size_t fds = static_cast<size_t>(limit.rlim_cur);
    max_connections_ = std::clamp<size_t>(fds / 3, 16, kMaxConnections);
    max_silent_ = std::clamp<size_t>(fds / 4, 16, kMaxSilent);
  }
}

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
  for (const Silent& silent : silent_) close(silent.fd);
  silent_.clear();
}

void ConnectionAcceptor::Loop() {
  std::vector<pollfd> fds;
  std::vector<short> revents;
  // fds: the wake-up pipe, the listening sockets, then the silent
  // connections.
  const size_t first_silent = 1 + listeners_.size();
  while (true) {
    fds.assign({{wake_[0], POLLIN, 0}});
    for (const AcceptorListener& listener : listeners_) {
      fds.push_back({listener.fd, POLLIN, 0});
    }
    for (const Silent& silent : silent_) fds.push_back({silent.fd, POLLIN, 0});
    int timeout_ms = -1;
    if (!silent_.empty()) {
      absl::Duration left = silent_.front().since + kSilenceLimit - absl::Now();
      timeout_ms = static_cast<int>(
          std::max<int64_t>(absl::ToInt64Milliseconds(left), 0) + 1);
    }
    if (poll(fds.data(), fds.size(), timeout_ms) < 0) {
      if (errno == EINTR) continue;
      LogError("poll on the agent's sockets failed: ", strerror(errno));
      return;
    }
    if (fds[0].revents != 0) return;
    revents.clear();
    for (size_t i = first_silent; i < fds.size(); ++i) {
      revents.push_back(fds[i].revents);
    }
    CheckSilent(revents);
    for (size_t i = 0; i < listeners_.size(); ++i) {
      if (fds[1 + i].revents != 0) AcceptOne(listeners_[i]);
    }
  }
}

void ConnectionAcceptor::CheckSilent(const std::vector<short>& revents) {
  const absl::Time now = absl::Now();
  std::deque<Silent> waiting;
  size_t expired = 0;
  for (size_t i = 0; i < silent_.size(); ++i) {
    const Silent& silent = silent_[i];
    if (i < revents.size() && revents[i] != 0) {
      char byte;
      ssize_t n = recv(silent.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0) {
        HandOff(silent.fd, silent.peer, silent.server);
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close(silent.fd);  // hung up without a word
        continue;
      }
    }
    if (now - silent.since >= kSilenceLimit) {
      close(silent.fd);
      ++expired;
      continue;
    }
    waiting.push_back(silent);
  }
  silent_.swap(waiting);
  if (expired > 0 && dropped_silent_.Allow(now)) {
    LogWarning("closed ", expired, " connection(s) silent for ",
               absl::FormatDuration(kSilenceLimit),
               " (a client that connects and sends nothing)",
               dropped_silent_.Suffix());
  }
}

void ConnectionAcceptor::DropOldestSilent() {
  const Silent& oldest = silent_.front();
  if (dropped_silent_.Allow(absl::Now())) {
    LogWarning("closed a connection from pid ", oldest.peer.pid, " (",
               oldest.peer.executable.empty() ? "unknown executable"
                                              : oldest.peer.executable,
               ") silent for ",
               absl::FormatDuration(
                   absl::Trunc(absl::Now() - oldest.since, absl::Seconds(1))),
               ": ", silent_.size(),
               " connections are waiting for their clients to speak",
               dropped_silent_.Suffix());
  }
  close(oldest.fd);
  silent_.pop_front();
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

void ConnectionAcceptor::AcceptOne(const AcceptorListener& listener) {
  // gRPC's event engine needs a non-blocking fd, or the connection hangs.
  int fd = accept4(listener.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == EAGAIN || err == EINTR || err == ECONNABORTED) return;
    if (accept_failed_.Allow(absl::Now())) {
      LogWarning("accept failed: ", strerror(err), accept_failed_.Suffix());
    }
    // Out of descriptors: the connection that waited longest without a
    // word makes room; else wait for some to close.
    if ((err == EMFILE || err == ENFILE) && !silent_.empty()) {
      DropOldestSilent();
    } else if (err == EMFILE || err == ENFILE) {
      usleep(100 * 1000);
    }
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
  if (silent_.size() >= max_silent_) DropOldestSilent();
  silent_.push_back({fd, absl::Now(), *std::move(peer), listener.server});
}

void ConnectionAcceptor::HandOff(int fd, const PeerCredentials& peer,
                                 grpc::Server* server) {
  if (CountOpen() >= max_connections_) {
    if (refused_full_.Allow(absl::Now())) {
      LogWarning(
          "refused a connection from pid ", peer.pid, " (",
          peer.executable.empty() ? "unknown executable" : peer.executable,
          "): ", max_connections_, " connections are open already; close some",
          refused_full_.Suffix());
    }
    close(fd);
    return;
  }
  struct stat st;
  if (fstat(fd, &st) == 0) open_.emplace_back(fd, st.st_ino);
  peers_->Record(fd, peer);
  if (callers_ != nullptr) {
    // The pidfd now, while the peer surely lives; /proc is read only when a
    // credential's rules need it.
    callers_->Record(fd, std::make_shared<ConnectedCaller>(
                             peer.pid, OpenPeerPidfd(fd, peer.pid)));
  }
  grpc::AddInsecureChannelFromFd(server, fd);
}

}  // namespace mcpcred

#include "agent_unreachable.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "mcpcred/client.h"

namespace mcpcred {
namespace client_internal {
namespace {

// A payload marks the status so that callers need not parse its message; the
// message prefix is the fallback for statuses rebuilt from code + message.
constexpr char kPayloadUrl[] = "type.mcpcred.dev/mcpcred.AgentUnreachable";
constexpr char kMessagePrefix[] = "no mcpcred agent answers on ";

}  // namespace

absl::Status AgentUnreachableError(const std::string& socket_path) {
  absl::Status status = absl::UnavailableError(
      std::string(kMessagePrefix) + socket_path +
      ": start one with 'systemctl --user start mcpcred-agent.socket' or "
      "'eval \"$(mcpcred-agent -s)\"'");
  status.SetPayload(kPayloadUrl, absl::Cord(socket_path));
  return status;
}

absl::Status MarkAgentUnreachable(const absl::Status& status) {
  absl::Status marked = absl::UnavailableError(status.message());
  marked.SetPayload(kPayloadUrl, absl::Cord());
  return marked;
}

bool NothingListensOn(const std::string& socket_path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof(addr.sun_path)) {
    return false;
  }
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
  // Non-blocking: a live agent with a full backlog answers EAGAIN instead of
  // making this probe wait.
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int rc = connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  int error = rc == 0 ? 0 : errno;
  close(fd);
  return error == ENOENT || error == ECONNREFUSED || error == ENOTDIR;
}

}  // namespace client_internal

bool IsAgentUnreachable(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kUnavailable) return false;
  return status.GetPayload(client_internal::kPayloadUrl).has_value() ||
         absl::StartsWith(status.message(), client_internal::kMessagePrefix);
}

}  // namespace mcpcred

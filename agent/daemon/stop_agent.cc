#include "agent/daemon/stop_agent.h"

#include <fcntl.h>
#include <grpcpp/create_channel_posix.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mcpcred/common/trusted_agent.h"
#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred {

absl::StatusOr<pid_t> StopAgent(const std::string& socket_path) {
  absl::StatusOr<TrustedAgentSocket> socket =
      ConnectToTrustedAgent(socket_path);
  if (absl::IsUnavailable(socket.status())) {
    return absl::UnavailableError(absl::StrCat("no mcpcred agent answers on ",
                                               socket_path, ": ",
                                               socket.status().message()));
  }
  if (!socket.ok()) return socket.status();
  const pid_t listener = socket->pid;
  // gRPC's event engine needs a non-blocking socket; the channel owns it.
  fcntl(socket->fd, F_SETFL, fcntl(socket->fd, F_GETFL) | O_NONBLOCK);
  auto stub = v1::Agent::NewStub(
      grpc::CreateInsecureChannelFromFd("mcpcred-agent", socket->fd));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  v1::AgentStatus status;
  grpc::Status rpc = stub->GetStatus(&context, v1::GetStatusRequest(), &status);
  if (!rpc.ok()) {
    return absl::UnavailableError(absl::StrCat("no mcpcred agent answers on ",
                                               socket_path, ": ",
                                               rpc.error_message()));
  }
  if (status.pid() != listener) {
    return absl::PermissionDeniedError(
        absl::StrCat("not stopping anything: the process listening on ",
                     socket_path, " is pid ", listener,
                     ", but the agent there says it is pid ", status.pid(),
                     " (for an agent started by systemd socket activation, run "
                     "'systemctl --user stop mcpcred-agent.service')"));
  }
  stub.reset();  // closes the connection: nothing waits on it
  if (listener <= 1) {
    return absl::PermissionDeniedError(
        absl::StrCat("refusing to signal pid ", listener));
  }
  if (kill(listener, SIGTERM) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot stop agent pid ", listener, ": ", strerror(errno)));
  }
  struct stat st;
  for (int i = 0; i < 100 && stat(socket_path.c_str(), &st) == 0; ++i) {
    usleep(50 * 1000);
  }
  return listener;
}

}  // namespace mcpcred

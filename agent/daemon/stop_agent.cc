#include "agent/daemon/stop_agent.h"

#include <grpcpp/create_channel.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred {

absl::StatusOr<pid_t> StopAgent(const std::string& socket_path) {
  auto channel = grpc::CreateChannel("unix:" + socket_path,
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::Agent::NewStub(channel);
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
  pid_t pid = status.pid();
  if (pid <= 1 || kill(pid, SIGTERM) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot stop agent pid ", pid, ": ", strerror(errno)));
  }
  struct stat st;
  for (int i = 0; i < 100 && stat(socket_path.c_str(), &st) == 0; ++i) {
    usleep(50 * 1000);
  }
  return pid;
}

}  // namespace mcpcred

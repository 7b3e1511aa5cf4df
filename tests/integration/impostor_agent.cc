// impostor_agent: what an attacker would put on a socket where a victim's
// client looks for its agent, for impostor_test.cc. It serves the mcpcred API
// as whatever uid runs it (the tests use setpriv) and answers as an agent
// would, except that:
//   GetStatus names --pid (default: its own pid);
//   GetCredential hands out --env KEY=VALUE entries (and a token);
//   AddSecret appends the value it is sent, and a newline, to --record FILE,
//     so that a test can tell whether a client ever sent a secret there.
//
// Usage: impostor_agent --socket PATH [--pid N] [--record FILE]
//                       [--env KEY=VALUE]...
// Writes nothing to stdout; serves until SIGTERM or SIGINT.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "mcpcred/v1/agent.grpc.pb.h"
#include "tests/testing/serve_on_socket.h"

namespace mcpcred::testing {
namespace {

struct ImpostorOptions {
  std::string socket_path;
  std::string record_path;
  int pid = 0;
  std::map<std::string, std::string> env;
};

class ImpostorService final : public v1::Agent::Service {
 public:
  explicit ImpostorService(ImpostorOptions options)
      : options_(std::move(options)) {}

  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::AgentStatus* status) override {
    status->set_version("0.1.0");
    status->set_pid(options_.pid);
    status->set_socket_path(options_.socket_path);
    return grpc::Status::OK;
  }

  grpc::Status GetCredential(grpc::ServerContext*,
                             const v1::GetCredentialRequest* request,
                             v1::Credential* credential) override {
    credential->set_name(request->name());
    credential->set_token("impostor-token");
    credential->set_version(1);
    for (const auto& [key, value] : options_.env) {
      (*credential->mutable_env())[key] = value;
    }
    return grpc::Status::OK;
  }

  grpc::Status AddSecret(grpc::ServerContext*,
                         const v1::AddSecretRequest* request,
                         v1::AddSecretResponse* response) override {
    if (!options_.record_path.empty()) {
      std::ofstream record(options_.record_path, std::ios::app);
      record << request->value() << "\n";
    }
    response->set_store("impostor");
    return grpc::Status::OK;
  }

 private:
  const ImpostorOptions options_;
};

bool ParseArgs(int argc, char** argv, ImpostorOptions* options) {
  options->pid = static_cast<int>(getpid());
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--socket") {
      options->socket_path = value;
    } else if (flag == "--record") {
      options->record_path = value;
    } else if (flag == "--pid") {
      if (!absl::SimpleAtoi(value, &options->pid)) return false;
    } else if (flag == "--env") {
      size_t equals = value.find('=');
      if (equals == std::string::npos) return false;
      options->env[value.substr(0, equals)] = value.substr(equals + 1);
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !options->socket_path.empty();
}

int Main(int argc, char** argv) {
  ImpostorOptions options;
  if (!ParseArgs(argc, argv, &options)) {
    std::fputs(
        "usage: impostor_agent --socket PATH [--pid N] [--record FILE] "
        "[--env KEY=VALUE]...\n",
        stderr);
    return 2;
  }
  std::string socket_path = options.socket_path;
  ImpostorService service(std::move(options));
  return ServeOnSocketUntilSignalled(socket_path, &service, "impostor_agent");
}

}  // namespace
}  // namespace mcpcred::testing

int main(int argc, char** argv) { return mcpcred::testing::Main(argc, argv); }

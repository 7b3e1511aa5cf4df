#include "tests/bench/bare_server.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <signal.h>
#include <stdio.h>

#include <chrono>
#include <memory>

#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred::bench {
namespace {

class BareAgentService final : public v1::Agent::CallbackService {
 public:
  explicit BareAgentService(v1::Credential credential)
      : credential_(std::move(credential)) {}

  grpc::ServerUnaryReactor* GetCredential(
      grpc::CallbackServerContext* context,
      const v1::GetCredentialRequest* request,
      v1::Credential* response) override {
    *response = credential_;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const v1::Credential credential_;
};

}  // namespace

v1::Credential MakeBenchCredential(const std::string& secret) {
  v1::Credential credential;
  credential.set_name(kCredentialName);
  (*credential.mutable_env())["API_KEY"] = secret;
  (*credential.mutable_headers())["Authorization"] = "Bearer " + secret;
  credential.add_secret_env_keys("API_KEY");
  credential.add_secret_header_names("Authorization");
  credential.set_token(secret);
  // The agent's first (prefetched) value of its only credential.
  credential.set_version(1);
  return credential;
}

int RunBareServer(const std::string& socket_path, v1::Credential credential) {
  // Blocked before gRPC starts its threads, so only sigwait() sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  BareAgentService service(std::move(credential));
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path,
                           grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    fprintf(stderr, "bare server: cannot listen on unix:%s\n",
            socket_path.c_str());
    return 1;
  }
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  return 0;
}

}  // namespace mcpcred::bench

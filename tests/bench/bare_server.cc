#include "tests/bench/bare_server.h"

#include <utility>

#include "mcpcred/v1/agent.grpc.pb.h"
#include "tests/testing/serve_on_socket.h"

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
  BareAgentService service(std::move(credential));
  return testing::ServeOnSocketUntilSignalled(socket_path, &service,
                                              "bare server");
}

}  // namespace mcpcred::bench

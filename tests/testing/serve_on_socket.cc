#include "tests/testing/serve_on_socket.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <signal.h>
#include <stdio.h>

#include <chrono>
#include <memory>

namespace mcpcred::testing {

int ServeOnSocketUntilSignalled(const std::string& socket_path,
                                grpc::Service* service, const char* program) {
  // Blocked before gRPC starts its threads, so only sigwait() sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path,
                           grpc::InsecureServerCredentials());
  builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    fprintf(stderr, "%s: cannot listen on unix:%s\n", program,
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

}  // namespace mcpcred::testing

// The main loop of a stand-in gRPC server (the benchmark's bare server, the
// impostor agent of the integration tests): serve on a Unix socket until
// SIGTERM or SIGINT.
#ifndef MCPCRED_TESTS_TESTING_SERVE_ON_SOCKET_H_
#define MCPCRED_TESTS_TESTING_SERVE_ON_SOCKET_H_

#include <grpcpp/impl/service_type.h>

#include <string>

namespace mcpcred::testing {

// Serves `service` on unix:`socket_path` until SIGTERM or SIGINT, then shuts
// down (2 s grace). Returns the process exit code: 0 after a signal, 1 if it
// cannot listen (said on stderr, after `program`). Call it in a fresh process
// before any thread exists: it blocks those signals for every thread.
int ServeOnSocketUntilSignalled(const std::string& socket_path,
                                grpc::Service* service, const char* program);

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_TESTING_SERVE_ON_SOCKET_H_

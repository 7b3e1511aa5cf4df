// The baseline: a bare gRPC callback server for mcpcred.v1.Agent/GetCredential
// that answers every call with one prebuilt Credential, doing nothing else.
#ifndef MCPCRED_TESTS_BENCH_BARE_SERVER_H_
#define MCPCRED_TESTS_BENCH_BARE_SERVER_H_

#include <string>

#include "mcpcred/v1/agent.pb.h"

namespace mcpcred::bench {

// The credential name the benchmark config defines.
inline constexpr char kCredentialName[] = "bench";

// The Credential the agent renders for the benchmark config:
//   env = { API_KEY = "{secret}" }, headers = { Authorization = "Bearer
//   {secret}" }
// The benchmark checks that the agent's answer equals it, so both servers
// send the same bytes.
v1::Credential MakeBenchCredential(const std::string& secret);

// Serves `credential` on unix:`socket_path` until SIGTERM or SIGINT, then
// shuts down. Returns the process exit code. Call it in a fresh process
// before any thread exists: it blocks those signals for every thread.
int RunBareServer(const std::string& socket_path, v1::Credential credential);

}  // namespace mcpcred::bench

#endif  // MCPCRED_TESTS_BENCH_BARE_SERVER_H_

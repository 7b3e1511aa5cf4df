// The command line of getcredential_bench.
#ifndef MCPCRED_TESTS_BENCH_BENCH_OPTIONS_H_
#define MCPCRED_TESTS_BENCH_BENCH_OPTIONS_H_

#include <string>

namespace mcpcred::bench {

// Sequential calls go to the compared servers in interleaved blocks of this
// many, so that load from elsewhere on the machine hits both alike.
inline constexpr int kLatencyBlockCalls = 500;

// Given only to the benchmark's own child: serve as the bare server there.
inline constexpr char kBareServerFlag[] = "--bare-server-socket";

struct Options {
  int latency_calls = 20000;
  int warmup_calls = 1000;
  double duration_seconds = 5;
  int clients = 16;
  int rounds = 3;
  // Off only to diagnose: points the agent's state dir where no audit log can
  // be created, so that the difference shows what the log costs.
  bool audit_log = true;
  std::string bare_server_socket;  // set only in the bare server child
};

void PrintUsage(const char* argv0);

// Takes this benchmark's flags ("--flag V" or "--flag=V") out of argv,
// updating *argc, and leaves the rest for Google Benchmark. Returns false,
// saying why on stderr, on a bad or missing value.
bool ParseOptions(int* argc, char** argv, Options* options);

}  // namespace mcpcred::bench

#endif  // MCPCRED_TESTS_BENCH_BENCH_OPTIONS_H_

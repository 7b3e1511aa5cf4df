#include "tests/bench/bench_options.h"

#include <stdio.h>

#include "absl/strings/numbers.h"

namespace mcpcred::bench {

void PrintUsage(const char* argv0) {
  printf(
      "usage: %s [--latency-calls N] [--warmup-calls N]\n"
      "          [--duration-seconds S] [--clients C] [--rounds R]\n"
      "          [--no-audit-log] [--benchmark_...]\n"
      "Cached GetCredential against mcpcred-agent and a bare gRPC server.\n"
      "  --latency-calls N     timed sequential calls per server (20000),\n"
      "                        in blocks of %d alternating between them\n"
      "  --warmup-calls N      untimed calls before them (1000)\n"
      "  --duration-seconds S  throughput window per server and round (5)\n"
      "  --clients C           concurrent clients for throughput (16)\n"
      "  --rounds R            throughput rounds, alternating servers (3)\n"
      "  --no-audit-log        diagnosis: run the agent without its audit log\n"
      "Flags --benchmark_* go to Google Benchmark, which runs the micro\n"
      "benchmarks afterwards (--benchmark_filter=NONE to skip them).\n",
      argv0, kLatencyBlockCalls);
}

bool ParseOptions(int* argc, char** argv, Options* options) {
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg.substr(0, arg.find('='));
    std::string value;
    auto take_value = [&]() -> bool {
      if (name.size() < arg.size()) {
        value = arg.substr(name.size() + 1);
        return true;
      }
      if (i + 1 >= *argc) return false;
      value = argv[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--no-audit-log") {
      options->audit_log = false;
    } else if (name == "--latency-calls") {
      ok = take_value() && absl::SimpleAtoi(value, &options->latency_calls) &&
           options->latency_calls > 0;
    } else if (name == "--warmup-calls") {
      ok = take_value() && absl::SimpleAtoi(value, &options->warmup_calls) &&
           options->warmup_calls >= 0;
    } else if (name == "--duration-seconds") {
      ok = take_value() &&
           absl::SimpleAtod(value, &options->duration_seconds) &&
           options->duration_seconds > 0;
    } else if (name == "--clients") {
      ok = take_value() && absl::SimpleAtoi(value, &options->clients) &&
           options->clients > 0;
    } else if (name == "--rounds") {
      ok = take_value() && absl::SimpleAtoi(value, &options->rounds) &&
           options->rounds > 0;
    } else if (name == kBareServerFlag) {
      ok = take_value() && !value.empty();
      options->bare_server_socket = value;
    } else {
      argv[out++] = argv[i];
      continue;
    }
    if (!ok) {
      fprintf(stderr, "getcredential_bench: bad or missing value for %s\n",
              name.c_str());
      return false;
    }
  }
  *argc = out;
  argv[out] = nullptr;
  return true;
}

}  // namespace mcpcred::bench

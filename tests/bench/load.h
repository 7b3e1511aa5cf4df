// The load generator: sequential unary calls for latency, concurrent clients
// on separate connections for throughput.
#ifndef MCPCRED_TESTS_BENCH_LOAD_H_
#define MCPCRED_TESTS_BENCH_LOAD_H_

#include <grpcpp/channel.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred::bench {

// A channel to unix:`socket_path` with a connection of its own: `client_id`
// makes the channel args unique and the local subchannel pool keeps gRPC
// from sharing a subchannel between channels.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& socket_path,
                                           int client_id);

// One GetCredential for the benchmark credential on `channel`.
absl::StatusOr<v1::Credential> GetBenchCredential(
    const std::shared_ptr<grpc::Channel>& channel);

struct LatencyStats {
  int calls = 0;
  double mean_us = 0;
  double p50_us = 0;
  double p90_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

// One client on a connection of its own, recording the latency of each call.
// The benchmark interleaves blocks of calls to the servers it compares, so
// that noise from the rest of the machine hits all of them alike.
//
// Thread-compatible.
class LatencyProbe {
 public:
  static absl::StatusOr<std::unique_ptr<LatencyProbe>> Connect(
      const std::string& socket_path);

  // `calls` untimed calls. Fails on the first call that fails.
  absl::Status Warm(int calls);
  // `calls` timed calls, one after another. Fails on the first that fails.
  absl::Status Run(int calls);
  // Over every timed call so far.
  LatencyStats Stats() const;

 private:
  explicit LatencyProbe(std::unique_ptr<v1::Agent::Stub> stub);

  const std::unique_ptr<v1::Agent::Stub> stub_;
  const v1::GetCredentialRequest request_;
  v1::Credential response_;
  std::vector<double> micros_;
};

struct ThroughputStats {
  int clients = 0;
  uint64_t calls = 0;
  double seconds = 0;
  double calls_per_second = 0;
};

// `clients` threads, each with its own connection, each calling as fast as
// it can for `duration`. Fails if any call fails.
absl::StatusOr<ThroughputStats> MeasureThroughput(
    const std::string& socket_path, int clients, absl::Duration duration);

}  // namespace mcpcred::bench

#endif  // MCPCRED_TESTS_BENCH_LOAD_H_

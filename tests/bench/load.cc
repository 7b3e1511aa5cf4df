#include "tests/bench/load.h"

#include <grpc/grpc.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "mcpcred/v1/agent.grpc.pb.h"
#include "tests/bench/bare_server.h"

namespace mcpcred::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kCallTimeout = std::chrono::seconds(10);

absl::Status CallOnce(v1::Agent::Stub* stub,
                      const v1::GetCredentialRequest& request,
                      v1::Credential* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  grpc::Status status = stub->GetCredential(&context, request, response);
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("GetCredential: ", status.error_message()));
}

v1::GetCredentialRequest BenchRequest() {
  v1::GetCredentialRequest request;
  request.set_name(kCredentialName);
  return request;
}

absl::StatusOr<std::unique_ptr<v1::Agent::Stub>> ConnectedStub(
    const std::string& socket_path, int client_id) {
  std::shared_ptr<grpc::Channel> channel = MakeChannel(socket_path, client_id);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 kConnectTimeout)) {
    return absl::UnavailableError(
        absl::StrCat("client ", client_id, " cannot connect to ", socket_path));
  }
  return v1::Agent::NewStub(channel);
}

// Nearest-rank percentile of sorted `values`.
double Percentile(const std::vector<double>& sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p * sorted.size()));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& socket_path,
                                           int client_id) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("mcpcred.bench.client_id", client_id);
  return grpc::CreateCustomChannel("unix:" + socket_path,
                                   grpc::InsecureChannelCredentials(), args);
}

absl::StatusOr<v1::Credential> GetBenchCredential(
    const std::shared_ptr<grpc::Channel>& channel) {
  std::unique_ptr<v1::Agent::Stub> stub = v1::Agent::NewStub(channel);
  v1::Credential response;
  absl::Status status = CallOnce(stub.get(), BenchRequest(), &response);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<std::unique_ptr<LatencyProbe>> LatencyProbe::Connect(
    const std::string& socket_path) {
  absl::StatusOr<std::unique_ptr<v1::Agent::Stub>> stub =
      ConnectedStub(socket_path, 0);
  if (!stub.ok()) return stub.status();
  return std::unique_ptr<LatencyProbe>(new LatencyProbe(*std::move(stub)));
}

LatencyProbe::LatencyProbe(std::unique_ptr<v1::Agent::Stub> stub)
    : stub_(std::move(stub)), request_(BenchRequest()) {}

absl::Status LatencyProbe::Warm(int calls) {
  for (int i = 0; i < calls; ++i) {
    response_.Clear();
    absl::Status status = CallOnce(stub_.get(), request_, &response_);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status LatencyProbe::Run(int calls) {
  micros_.reserve(micros_.size() + calls);
  for (int i = 0; i < calls; ++i) {
    response_.Clear();
    const Clock::time_point start = Clock::now();
    absl::Status status = CallOnce(stub_.get(), request_, &response_);
    const Clock::time_point end = Clock::now();
    if (!status.ok()) return status;
    micros_.push_back(
        std::chrono::duration<double, std::micro>(end - start).count());
  }
  return absl::OkStatus();
}

LatencyStats LatencyProbe::Stats() const {
  LatencyStats stats;
  stats.calls = static_cast<int>(micros_.size());
  if (micros_.empty()) return stats;
  std::vector<double> sorted = micros_;
  double sum = 0;
  for (double us : sorted) sum += us;
  stats.mean_us = sum / sorted.size();
  std::sort(sorted.begin(), sorted.end());
  stats.p50_us = Percentile(sorted, 0.50);
  stats.p90_us = Percentile(sorted, 0.90);
  stats.p99_us = Percentile(sorted, 0.99);
  stats.max_us = sorted.back();
  return stats;
}

absl::StatusOr<ThroughputStats> MeasureThroughput(
    const std::string& socket_path, int clients, absl::Duration duration) {
  // Every client connects and makes one call before the clock starts, so the
  // timed window holds only steady-state calls.
  std::vector<std::unique_ptr<v1::Agent::Stub>> stubs;
  const v1::GetCredentialRequest request = BenchRequest();
  for (int i = 0; i < clients; ++i) {
    absl::StatusOr<std::unique_ptr<v1::Agent::Stub>> stub =
        ConnectedStub(socket_path, i + 1);
    if (!stub.ok()) return stub.status();
    v1::Credential response;
    absl::Status status = CallOnce(stub->get(), request, &response);
    if (!status.ok()) return status;
    stubs.push_back(*std::move(stub));
  }

  absl::Notification go;
  std::atomic<bool> stop{false};
  std::vector<uint64_t> counts(clients, 0);
  absl::Mutex error_mu;
  absl::Status first_error;
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      v1::Credential response;
      uint64_t n = 0;
      go.WaitForNotification();
      while (!stop.load(std::memory_order_relaxed)) {
        response.Clear();
        absl::Status status = CallOnce(stubs[i].get(), request, &response);
        if (!status.ok()) {
          absl::MutexLock lock(&error_mu);
          if (first_error.ok()) first_error = status;
          stop.store(true);
          break;
        }
        ++n;
      }
      counts[i] = n;
    });
  }
  const Clock::time_point start = Clock::now();
  go.Notify();
  std::this_thread::sleep_for(absl::ToChronoNanoseconds(duration));
  stop.store(true);
  for (std::thread& t : threads) t.join();
  // Calls in flight when the clock stopped finish and are counted: the window
  // ends at the last join.
  const Clock::time_point end = Clock::now();
  if (!first_error.ok()) return first_error;

  ThroughputStats stats;
  stats.clients = clients;
  for (uint64_t n : counts) stats.calls += n;
  stats.seconds = std::chrono::duration<double>(end - start).count();
  stats.calls_per_second = stats.calls / stats.seconds;
  return stats;
}

}  // namespace mcpcred::bench

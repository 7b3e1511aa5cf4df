// cache_bench: the Watch stream's costs and benefits, against the real agent.
//
//  1. CredentialCache::Get from 16 reader threads while the agent rotates the
//     credential every ~100 ms (a counter provider with 200 ms tokens): p50,
//     p99 and max per call (goal: p50 under 1 us).
//  2. A cached GetCredential's latency with no watcher, then with 100 live
//     watchers plus one that never reads, while rotations arrive (goal: no
//     slowdown).
//
// A benchmark, not a test: it prints figures and exits 0, non-zero only when
// it could not measure.
//
//   cache_bench [--readers N] [--calls-per-reader N] [--watchers N]
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "mcpcred/client.h"
#include "mcpcred/credential_cache.h"
#include "tests/bench/child_process.h"
#include "tests/bench/load.h"

namespace mcpcred::bench {
namespace {

struct Options {
  int readers = 16;
  int calls_per_reader = 200000;
  int watchers = 100;
};

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

int Fail(const absl::Status& status) {
  fprintf(stderr, "cache_bench: %s\n", std::string(status.message()).c_str());
  return 1;
}

// Part 1: readers hammer Get() while rotations arrive.
absl::Status MeasureCacheGet(const Options& options,
                             const std::string& socket) {
  CredentialCacheOptions cache_options;
  cache_options.client.socket_path = socket;
  cache_options.names = {"rot"};
  absl::StatusOr<std::unique_ptr<CredentialCache>> cache =
      CredentialCache::Create(cache_options);
  if (!cache.ok()) return cache.status();
  if (!(*cache)->WaitSynced(absl::Seconds(10))) {
    return absl::UnavailableError("the cache did not sync");
  }
  if (!(*cache)->Get("rot").ok()) return (*cache)->Get("rot").status();
  const uint64_t events_before = (*cache)->events();

  std::vector<std::vector<double>> samples(options.readers);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < options.readers; ++r) {
    threads.emplace_back([&, r] {
      std::vector<double>& mine = samples[r];
      mine.reserve(options.calls_per_reader);
      for (int i = 0; i < options.calls_per_reader; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        auto credential = (*cache)->Get("rot");
        auto t1 = std::chrono::steady_clock::now();
        if (!credential.ok()) failures.fetch_add(1);
        mine.push_back(
            std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::vector<double> all;
  for (auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  printf(
      "CredentialCache::Get, %d reader threads, %zu calls in %.2f s "
      "(%.0f calls/s), %llu stream events (rotations) meanwhile, %d "
      "failed\n",
      options.readers, all.size(), seconds,
      static_cast<double>(all.size()) / seconds,
      static_cast<unsigned long long>((*cache)->events() - events_before),
      failures.load());
  printf(
      "  p50 %.3f us  p90 %.3f us  p99 %.3f us  max %.1f us  (goal: p50 "
      "< 1 us)\n",
      Percentile(all, 0.5), Percentile(all, 0.9), Percentile(all, 0.99),
      all.back());
  return absl::OkStatus();
}

// Part 2: GetCredential latency without and with watchers.
absl::Status MeasureWatchLoad(const Options& options,
                              const std::string& socket) {
  absl::StatusOr<std::unique_ptr<LatencyProbe>> probe =
      LatencyProbe::Connect(socket);
  if (!probe.ok()) return probe.status();
  absl::Status warm = (*probe)->Warm(500);
  if (!warm.ok()) return warm;
  absl::Status run = (*probe)->Run(3000);
  if (!run.ok()) return run;
  LatencyStats alone = (*probe)->Stats();

  // Watchers on connections of their own, each reading every event.
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::unique_ptr<LoginCanceller>> cancellers;
  std::vector<std::thread> threads;
  std::atomic<uint64_t> events{0};
  std::atomic<int> ended{0};
  for (int i = 0; i < options.watchers; ++i) {
    ClientOptions client_options;
    client_options.socket_path = socket;
    absl::StatusOr<std::unique_ptr<Client>> client =
        Client::Create(client_options);
    if (!client.ok()) return client.status();
    clients.push_back(*std::move(client));
    cancellers.push_back(std::make_unique<LoginCanceller>());
    threads.emplace_back([&, i] {
      (void)clients[i]->Watch(
          {}, [&](const v1::CredentialEvent&) { events.fetch_add(1); },
          cancellers[i].get());
      ended.fetch_add(1);
    });
  }
  // And one that never reads.
  auto channel = MakeChannel(socket, 9999);
  std::unique_ptr<v1::Agent::Stub> stub = v1::Agent::NewStub(channel);
  grpc::ClientContext stuck_context;
  auto stuck =
      stub->WatchCredentials(&stuck_context, v1::WatchCredentialsRequest());
  absl::SleepFor(absl::Seconds(1));

  absl::StatusOr<std::unique_ptr<LatencyProbe>> loaded =
      LatencyProbe::Connect(socket);
  if (!loaded.ok()) return loaded.status();
  warm = (*loaded)->Warm(500);
  if (!warm.ok()) return warm;
  const uint64_t events_before = events.load();
  run = (*loaded)->Run(3000);
  if (!run.ok()) return run;
  LatencyStats watched = (*loaded)->Stats();
  const uint64_t delivered = events.load() - events_before;

  const int ended_early = ended.load();
  stuck_context.TryCancel();
  for (auto& canceller : cancellers) canceller->Cancel();
  for (std::thread& thread : threads) thread.join();

  printf(
      "cached GetCredential, one client, 3000 calls (%llu events before, "
      "%d watchers ended early):\n",
      static_cast<unsigned long long>(events_before), ended_early);
  printf("  no watcher:                    p50 %.1f us  p99 %.1f us\n",
         alone.p50_us, alone.p99_us);
  printf(
      "  %d watchers + 1 never reading: p50 %.1f us  p99 %.1f us  "
      "(%.2fx p50; %llu events delivered meanwhile)\n",
      options.watchers, watched.p50_us, watched.p99_us,
      watched.p50_us / alone.p50_us,
      static_cast<unsigned long long>(delivered));
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int value = 0;
    if (!absl::SimpleAtoi(argv[i + 1], &value) || value <= 0) {
      fprintf(stderr, "cache_bench: %s needs a positive number\n", argv[i]);
      return 2;
    }
    if (flag == "--readers") {
      options.readers = value;
    } else if (flag == "--calls-per-reader") {
      options.calls_per_reader = value;
    } else if (flag == "--watchers") {
      options.watchers = value;
    } else {
      fprintf(stderr, "cache_bench: unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  char templ[] = "/tmp/mcpcred-cache-bench-XXXXXX";
  if (mkdtemp(templ) == nullptr) return Fail(absl::InternalError("mkdtemp"));
  const std::string dir = templ;
  const std::string socket = dir + "/agent.sock";
  const std::string config = dir + "/c.toml";
  std::ofstream(config) << "[credential.bench]\n"
                           "provider = \"static\"\n"
                           "secret = \"env:BENCH_SECRET\"\n"
                           "headers = { Authorization = \"Bearer {secret}\" }\n"
                           "[credential.rot]\n"
                           "provider = \"counter\"\n"
                           "ttl_ms = 200\n"
                           "headers = { Authorization = \"Bearer "
                           "{access_token}\" }\n";
  absl::StatusOr<std::unique_ptr<ChildProcess>> agent = ChildProcess::Start(
      {MCPCRED_AGENT_PATH, "-D", "--config", config, "--socket", socket},
      {"BENCH_SECRET=bench-not-a-secret",
       std::string("MCPCRED_PLUGIN_PATH=") + MCPCRED_TEST_PLUGIN_DIR,
       "XDG_STATE_HOME=" + dir + "/state"},
      dir + "/agent.log");
  if (!agent.ok()) return Fail(agent.status());
  absl::Status up = WaitForSocket(socket, agent->get(), absl::Seconds(10));
  if (!up.ok()) return Fail(up);

  absl::Status status = MeasureCacheGet(options, socket);
  if (!status.ok()) return Fail(status);
  status = MeasureWatchLoad(options, socket);
  if (!status.ok()) return Fail(status);
  printf("agent stopped: %s\n", (*agent)->Stop().c_str());
  std::error_code ignored;  // a leftover temp dir is not a failed benchmark
  std::filesystem::remove_all(dir, ignored);
  return 0;
}

}  // namespace
}  // namespace mcpcred::bench

int main(int argc, char** argv) { return mcpcred::bench::Main(argc, argv); }

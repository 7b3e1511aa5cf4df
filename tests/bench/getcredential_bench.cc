// getcredential_bench: a cached GetCredential over the agent's socket beside
// a bare gRPC unary service answering the same message, in the same run.
//
// Starts the real mcpcred-agent (static provider, one credential) and, as a
// second child process, a bare gRPC callback server (tests/bench/
// bare_server.h); measures each with one sequential client (p50/p90/p99/max)
// and with concurrent clients on separate connections (calls/s); prints the
// ratios against the goals (agent p50 <= 1.3x bare, throughput >= 0.75x);
// then runs the Google Benchmark micro benchmarks (redaction). A benchmark,
// not a test: it exits 0 whether or not the goals are met, non-zero only if
// it could not measure.
//
//   getcredential_bench [--latency-calls N] [--warmup-calls N]
//                       [--duration-seconds S] [--clients C] [--rounds R]
//                       [--no-audit-log] [--benchmark_*]
//
// The two servers are measured alternately (latency in interleaved blocks,
// throughput in alternating rounds) so that load from elsewhere on the
// machine hits both alike; each server process's CPU time per call is shown
// too, being the figure that load elsewhere disturbs least.
#include <benchmark/benchmark.h>
#include <google/protobuf/util/message_differencer.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/bench/bare_server.h"
#include "tests/bench/bench_options.h"
#include "tests/bench/child_process.h"
#include "tests/bench/load.h"

namespace mcpcred::bench {
namespace {

constexpr double kLatencyGoal = 1.3;      // agent p50 / bare p50, at most
constexpr double kThroughputGoal = 0.75;  // agent calls/s / bare, at least
// Under /dev/null no directory can be made: the agent starts without an
// audit log (and warns).
constexpr char kNoStateDir[] = "/dev/null/mcpcred-bench";

std::string RandomSecret() {
  std::random_device device;
  std::string secret = "bench_";
  for (int i = 0; i < 40; ++i) {
    secret.push_back("0123456789abcdef"[device() % 16]);
  }
  return secret;
}

// A private temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/mcpcred-bench-XXXXXX";
    if (mkdtemp(templ) != nullptr) path_ = templ;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Both servers must send the same bytes, or the comparison means nothing.
absl::Status CheckAnswer(const std::string& who, const std::string& socket,
                         const v1::Credential& expected) {
  absl::StatusOr<v1::Credential> got =
      GetBenchCredential(MakeChannel(socket, -1));
  if (!got.ok()) {
    return absl::Status(got.status().code(),
                        absl::StrCat(who, ": ", got.status().message()));
  }
  if (!google::protobuf::util::MessageDifferencer::Equals(*got, expected)) {
    return absl::InternalError(absl::StrCat(
        who, " answered a different Credential than expected (",
        got->ByteSizeLong(), " vs ", expected.ByteSizeLong(), " bytes)"));
  }
  return absl::OkStatus();
}

struct ServerResult {
  LatencyStats latency;
  // The server process's CPU time over the latency and throughput phases.
  absl::Duration latency_cpu;
  absl::Duration throughput_cpu;
  uint64_t throughput_calls = 0;
  double throughput_seconds = 0;
  std::vector<double> round_calls_per_second;

  double calls_per_second() const {
    return throughput_calls / throughput_seconds;
  }
  double latency_cpu_us_per_call() const {
    return absl::ToDoubleMicroseconds(latency_cpu) / latency.calls;
  }
  double throughput_cpu_us_per_call() const {
    return absl::ToDoubleMicroseconds(throughput_cpu) / throughput_calls;
  }
};

struct Server {
  const char* name;
  std::string socket;
  ChildProcess* process;
  ServerResult result;
};

std::string Verdict(bool met) { return met ? "MET" : "MISSED"; }

// Server CPU per call is the server process's own CPU time divided by the
// calls it answered: unlike wall-clock figures it barely moves when the rest
// of the machine is busy, so it shows what the agent adds even in a noisy run.
void PrintReport(const Options& options, const Server& bare,
                 const Server& agent, size_t message_bytes) {
  printf("\nGetCredential, cached, %zu-byte Credential, over a Unix socket%s\n",
         message_bytes,
         options.audit_log ? "" : "; agent WITHOUT its audit log");
  printf("\nlatency: 1 client, %d calls after %d warm-up, interleaved\n",
         options.latency_calls, options.warmup_calls);
  printf("%-10s %8s %8s %8s %8s %8s %14s\n", "server", "p50 us", "p90 us",
         "p99 us", "max us", "mean us", "server CPU us");
  for (const Server* s : {&bare, &agent}) {
    const LatencyStats& l = s->result.latency;
    printf("%-10s %8.1f %8.1f %8.1f %8.1f %8.1f %14.1f\n", s->name, l.p50_us,
           l.p90_us, l.p99_us, l.max_us, l.mean_us,
           s->result.latency_cpu_us_per_call());
  }
  printf("\nthroughput: %d clients, own connections, %d rounds x %.1f s\n",
         options.clients, options.rounds, options.duration_seconds);
  printf("%-10s %9s %14s  %s\n", "server", "calls/s", "server CPU us",
         "calls/s by round");
  for (const Server* s : {&bare, &agent}) {
    std::string rounds;
    for (double r : s->result.round_calls_per_second) {
      absl::StrAppend(&rounds, rounds.empty() ? "" : " ",
                      absl::StrFormat("%.0f", r));
    }
    printf("%-10s %9.0f %14.1f  %s\n", s->name, s->result.calls_per_second(),
           s->result.throughput_cpu_us_per_call(), rounds.c_str());
  }

  const ServerResult& a = agent.result;
  const ServerResult& b = bare.result;
  const double p50_ratio = a.latency.p50_us / b.latency.p50_us;
  const double tput_ratio = a.calls_per_second() / b.calls_per_second();
  std::string round_ratios;
  for (int r = 0; r < options.rounds; ++r) {
    absl::StrAppend(&round_ratios, r == 0 ? "" : " ",
                    absl::StrFormat("%.2f", a.round_calls_per_second[r] /
                                                b.round_calls_per_second[r]));
  }
  printf("\nagent p50 / bare p50:          %.2fx  (goal <= %.2fx)  %s\n",
         p50_ratio, kLatencyGoal, Verdict(p50_ratio <= kLatencyGoal).c_str());
  printf(
      "agent calls/s / bare calls/s:  %.2fx  (goal >= %.2fx)  %s"
      "  (by round: %s)\n",
      tput_ratio, kThroughputGoal,
      Verdict(tput_ratio >= kThroughputGoal).c_str(), round_ratios.c_str());
  printf("agent p99 / bare p99:          %.2fx\n",
         a.latency.p99_us / b.latency.p99_us);
  printf(
      "server CPU per call, agent / bare: %.2fx sequential, %.2fx loaded\n\n",
      a.latency_cpu_us_per_call() / b.latency_cpu_us_per_call(),
      a.throughput_cpu_us_per_call() / b.throughput_cpu_us_per_call());
  fflush(stdout);
}

absl::Status MeasureLatencies(const Options& options, Server* bare,
                              Server* agent) {
  Server* const servers[] = {bare, agent};
  std::unique_ptr<LatencyProbe> probes[2];
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<std::unique_ptr<LatencyProbe>> probe =
        LatencyProbe::Connect(servers[i]->socket);
    if (!probe.ok()) return probe.status();
    probes[i] = *std::move(probe);
    absl::Status warm = probes[i]->Warm(options.warmup_calls);
    if (!warm.ok()) return warm;
  }
  printf("latency: %d calls to each server...\n", options.latency_calls);
  fflush(stdout);
  absl::Duration cpu_before[2];
  for (int i = 0; i < 2; ++i) cpu_before[i] = servers[i]->process->CpuTime();
  int block = 0;
  for (int done = 0; done < options.latency_calls; done += kLatencyBlockCalls) {
    const int n = std::min(kLatencyBlockCalls, options.latency_calls - done);
    for (int k = 0; k < 2; ++k) {
      // Alternate which server goes first, too.
      absl::Status run = probes[(block + k) % 2]->Run(n);
      if (!run.ok()) return run;
    }
    ++block;
  }
  for (int i = 0; i < 2; ++i) {
    servers[i]->result.latency = probes[i]->Stats();
    servers[i]->result.latency_cpu =
        servers[i]->process->CpuTime() - cpu_before[i];
  }
  return absl::OkStatus();
}

absl::Status MeasureThroughputs(const Options& options, Server* bare,
                                Server* agent) {
  Server* const servers[] = {bare, agent};
  for (int round = 0; round < options.rounds; ++round) {
    for (int k = 0; k < 2; ++k) {
      Server* s = servers[(round + k) % 2];
      printf("throughput: round %d/%d, %s...\n", round + 1, options.rounds,
             s->name);
      fflush(stdout);
      const absl::Duration cpu_before = s->process->CpuTime();
      absl::StatusOr<ThroughputStats> stats = MeasureThroughput(
          s->socket, options.clients, absl::Seconds(options.duration_seconds));
      if (!stats.ok()) return stats.status();
      // Includes the clients' connection set-up, small beside the calls.
      s->result.throughput_cpu += s->process->CpuTime() - cpu_before;
      s->result.throughput_calls += stats->calls;
      s->result.throughput_seconds += stats->seconds;
      s->result.round_calls_per_second.push_back(stats->calls_per_second);
    }
  }
  return absl::OkStatus();
}

absl::Status Measure(const Options& options, Server* bare, Server* agent) {
  absl::Status status = MeasureLatencies(options, bare, agent);
  if (status.ok()) status = MeasureThroughputs(options, bare, agent);
  for (Server* s : {bare, agent}) {
    absl::Status running = s->process->CheckRunning();
    if (!running.ok()) return running;
  }
  return status;
}

int Fail(const absl::Status& status, const std::vector<std::string>& logs) {
  fprintf(stderr, "getcredential_bench: %s\n",
          std::string(status.message()).c_str());
  for (const std::string& log : logs) {
    std::string text = ReadFile(log);
    if (text.empty()) continue;
    fprintf(stderr, "--- %s:\n%s", log.c_str(), text.c_str());
  }
  return 1;
}

int Run(const Options& options, const std::string& self) {
  TempDir tmp;
  if (tmp.path().empty()) {
    return Fail(absl::InternalError("cannot create a temporary directory"), {});
  }
  const std::string config = tmp.path() + "/c.toml";
  const std::string agent_socket = tmp.path() + "/agent.sock";
  const std::string bare_socket = tmp.path() + "/bare.sock";
  const std::string agent_log = tmp.path() + "/agent.log";
  const std::string bare_log = tmp.path() + "/bare.log";
  const std::vector<std::string> logs = {agent_log, bare_log};
  const std::string secret = RandomSecret();
  std::ofstream(config)
      << "[credential.bench]\n"
         "provider = \"static\"\n"
         "secret = \"env:BENCH_SECRET\"\n"
         "env = { API_KEY = \"{secret}\" }\n"
         "headers = { Authorization = \"Bearer {secret}\" }\n";

  // Both children start before this process makes any gRPC object.
  absl::StatusOr<std::unique_ptr<ChildProcess>> agent = ChildProcess::Start(
      {MCPCRED_AGENT_PATH, "-D", "--config", config, "--socket", agent_socket},
      {"BENCH_SECRET=" + secret,
       "XDG_STATE_HOME=" +
           (options.audit_log ? tmp.path() + "/state" : kNoStateDir)},
      agent_log);
  if (!agent.ok()) return Fail(agent.status(), logs);
  absl::StatusOr<std::unique_ptr<ChildProcess>> bare =
      ChildProcess::Start({self, kBareServerFlag, bare_socket},
                          {"BENCH_SECRET=" + secret}, bare_log);
  if (!bare.ok()) return Fail(bare.status(), logs);
  for (auto [socket, process] :
       {std::pair{&agent_socket, agent->get()}, {&bare_socket, bare->get()}}) {
    absl::Status up = WaitForSocket(*socket, process, absl::Seconds(10));
    if (!up.ok()) return Fail(up, logs);
  }
  // The first call fills the agent's cache; both answers must be equal.
  const v1::Credential expected = MakeBenchCredential(secret);
  for (auto [who, socket] : {std::pair{"mcpcred-agent", &agent_socket},
                             {"bare server", &bare_socket}}) {
    absl::Status same = CheckAnswer(who, *socket, expected);
    if (!same.ok()) return Fail(same, logs);
  }
  printf("agent pid %d, bare server pid %d, sockets in %s\n",
         static_cast<int>((*agent)->pid()), static_cast<int>((*bare)->pid()),
         tmp.path().c_str());

  Server bare_server = {"bare gRPC", bare_socket, bare->get(), {}};
  Server agent_server = {"mcpcred", agent_socket, agent->get(), {}};
  absl::Status measured = Measure(options, &bare_server, &agent_server);
  if (!measured.ok()) return Fail(measured, logs);
  PrintReport(options, bare_server, agent_server, expected.ByteSizeLong());

  const std::string agent_end = (*agent)->Stop();
  const std::string bare_end = (*bare)->Stop();
  printf("agent stopped: %s; bare server stopped: %s\n\n", agent_end.c_str(),
         bare_end.c_str());
  fflush(stdout);

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

std::string SelfPath() {
  std::error_code error;
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.string();
}

int Main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      PrintUsage(argv[0]);
      return 0;
    }
  }
  Options options;
  if (!ParseOptions(&argc, argv, &options)) return 2;
  if (!options.bare_server_socket.empty()) {
    const char* secret = getenv("BENCH_SECRET");
    return RunBareServer(options.bare_server_socket,
                         MakeBenchCredential(secret != nullptr ? secret : ""));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  const std::string self = SelfPath();
  if (self.empty()) {
    fprintf(stderr, "getcredential_bench: cannot read /proc/self/exe\n");
    return 1;
  }
  return Run(options, self);
}

}  // namespace
}  // namespace mcpcred::bench

int main(int argc, char** argv) { return mcpcred::bench::Main(argc, argv); }

#include "agent/daemon/agent.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <signal.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/broker/refresh_loop.h"
#include "agent/broker/slot_factory.h"
#include "agent/daemon/connection_acceptor.h"
#include "agent/service/agent_service.h"
#include "agent/store/memory_store.h"
#include "agent/util/log.h"

namespace mcpcred {

absl::StatusOr<std::unique_ptr<Agent>> Agent::Create(
    const AgentSettings& settings) {
  std::unique_ptr<Agent> agent(new Agent(settings));
  std::vector<std::string> plugin_errors;
  agent->plugins_ =
      PluginRegistry::LoadFromDirs(settings.plugin_dirs, &plugin_errors);
  for (const std::string& error : plugin_errors) LogWarning(error);
  if (agent->plugins_->plugins().empty()) {
    LogWarning("no provider plugins found in ",
               absl::StrJoin(settings.plugin_dirs, ":"),
               ": set MCPCRED_PLUGIN_PATH");
  }
  agent->store_ = std::make_unique<MemoryStore>();
  if (!settings.state_dir.empty()) {
    absl::StatusOr<std::unique_ptr<AuditLog>> audit =
        AuditLog::Open(settings.state_dir + "/audit.log");
    if (audit.ok()) {
      agent->audit_ = *std::move(audit);
    } else {
      LogWarning("no audit log: ", audit.status().message());
    }
  }
  std::vector<std::string> errors;
  absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> slots =
      agent->LoadSlots(&errors);
  if (absl::IsNotFound(slots.status())) {
    LogWarning(slots.status().message(), ": starting with no credentials");
  } else if (!slots.ok()) {
    return slots.status();
  } else {
    agent->initial_slots_ = *std::move(slots);
  }
  for (const std::string& error : errors) LogWarning(error);
  return agent;
}

Agent::~Agent() = default;

absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> Agent::LoadSlots(
    std::vector<std::string>* errors) {
  absl::StatusOr<config::AgentConfig> config = config::LoadConfigFile(
      settings_.config_path, plugins_->schemas(), plugins_->names());
  if (!config.ok()) return config.status();
  return BuildSlots(*config, *plugins_, store_.get(), SystemClock::Get(),
                    errors);
}

absl::StatusOr<ReloadOutcome> Agent::Reload() {
  absl::MutexLock lock(&reload_mu_);
  ReloadOutcome outcome;
  absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> slots =
      LoadSlots(&outcome.errors);
  if (!slots.ok()) {
    LogError("reload failed, the previous config keeps serving: ",
             slots.status().message());
    return absl::Status(slots.status().code(),
                        absl::StrCat(slots.status().message(),
                                     " (the previous config keeps serving)"));
  }
  for (const std::string& error : outcome.errors) LogWarning(error);
  outcome.credentials = slots->size();
  broker_->SetCredentials(*std::move(slots));
  LogInfo("reloaded ", settings_.config_path, ": ", outcome.credentials,
          " credentials");
  return outcome;
}

void Agent::DescribeSelf(v1::AgentStatus* status) {
  status->set_version(MCPCRED_VERSION);
  absl::Duration uptime = absl::Now() - started_;
  status->mutable_uptime()->set_seconds(absl::ToInt64Seconds(uptime));
  status->set_pid(getpid());
  status->set_socket_path(socket_path_);
  status->set_config_path(settings_.config_path);
  for (const auto& [name, lib] : plugins_->plugins()) {
    v1::PluginInfo* info = status->add_plugins();
    info->set_name(name);
    info->set_path(lib->path());
    info->set_abi_version(lib->abi_version());
  }
}

namespace {

// Waits for the stop signals, reloading on SIGHUP in between.
void WaitForStop(Agent* agent) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  while (true) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig != SIGHUP) {
      LogInfo("received ", strsignal(sig), ", stopping");
      return;
    }
    sd_notify(0, "RELOADING=1");
    (void)agent->Reload();
    sd_notify(0, "READY=1");
  }
}

}  // namespace

absl::Status Agent::Serve(ListenSocket socket) {
  socket_path_ = socket.path;
  pool_ = std::make_unique<ThreadPool>(settings_.worker_threads);
  broker_ = std::make_unique<Broker>(pool_.get(), SystemClock::Get());
  broker_->SetCredentials(std::exchange(initial_slots_, {}));
  auto refresh = std::make_unique<RefreshLoop>(broker_.get());
  AgentService service(broker_.get(), this, &peers_, audit_.get(),
                       SystemClock::Get());

  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) return absl::InternalError("cannot start the server");
  ConnectionAcceptor acceptor(socket.fd, server.get(), &peers_);
  if (!acceptor.Start()) return absl::InternalError("cannot start accepting");

  LogInfo("listening on ", socket.path, " (pid ", getpid(), ")");
  sd_notify(0, "READY=1");
  WaitForStop(this);
  sd_notify(0, "STOPPING=1");

  acceptor.Stop();
  // Stop accepting first so no client meets a half-removed socket.
  if (socket.owned) unlink(socket.path.c_str());
  close(socket.fd);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  // The refresh loop and the pool first: they call into the broker.
  refresh.reset();
  pool_.reset();
  broker_.reset();
  return absl::OkStatus();
}

}  // namespace mcpcred

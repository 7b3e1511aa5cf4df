#include "agent/daemon/agent.h"

#include <grpcpp/resource_quota.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/broker/refresh_loop.h"
#include "agent/broker/slot_factory.h"
#include "agent/daemon/connection_acceptor.h"
#include "agent/daemon/systemd_protocol.h"
#include "agent/service/agent_service.h"
#include "agent/service/forwarding_service.h"
#include "agent/store/memory_store.h"
#include "agent/store/store_factory.h"
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
  // Built before the config is read, opened (as the config says) in Serve.
  Agent* self = agent.get();
  agent->store_ = std::make_unique<DeferredStore>(
      "unopened", [self] { return self->OpenStore(); });
  if (!settings.state_dir.empty()) {
    absl::StatusOr<std::unique_ptr<AuditLog>> audit =
        AuditLog::Open(settings.state_dir + "/audit.log");
    if (audit.ok()) {
      agent->audit_ = *std::move(audit);
    } else {
      agent->audit_error_ = std::string(audit.status().message());
      LogWarning("no audit log: ", agent->audit_error_);
    }
  }
  std::vector<std::string> errors;
  {
    absl::MutexLock lock(&agent->reload_mu_);
    absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> slots =
        agent->LoadSlots(&errors, &agent->store_backend_);
    if (absl::IsNotFound(slots.status())) {
      LogWarning(slots.status().message(), ": starting with no credentials");
    } else if (!slots.ok()) {
      return slots.status();
    } else {
      agent->initial_slots_ = *std::move(slots);
    }
    agent->current_slots_ = agent->initial_slots_;
  }
  for (const std::string& error : errors) LogWarning(error);
  return agent;
}

Agent::~Agent() = default;

absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> Agent::LoadSlots(
    std::vector<std::string>* errors, std::string* store_backend) {
  absl::StatusOr<config::AgentConfig> config = config::LoadConfigFile(
      settings_.config_path, plugins_->schemas(), plugins_->names());
  if (!config.ok()) return config.status();
  *store_backend = config->store_backend;
  for (config::CredentialConfig& credential : config->credentials) {
    if (!credential.lifetime.has_value()) {
      credential.lifetime = settings_.default_lifetime;
    }
  }
  return BuildSlotsLocked(*config, errors, /*prefetch=*/true);
}

absl::StatusOr<ReloadOutcome> Agent::Reload() {
  absl::MutexLock lock(&reload_mu_);
  ReloadOutcome outcome;
  std::string store_backend;
  absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> slots =
      LoadSlots(&outcome.errors, &store_backend);
  if (!slots.ok()) {
    LogError("reload failed, the previous config keeps serving: ",
             slots.status().message());
    return absl::Status(slots.status().code(),
                        absl::StrCat(slots.status().message(),
                                     " (the previous config keeps serving)"));
  }
  for (const std::string& error : outcome.errors) LogWarning(error);
  if (store_backend != store_backend_) {
    LogWarning("[store] backend changed from \"", store_backend_, "\" to \"",
               store_backend, "\": restart the agent to change the store (",
               store_->name(), " stays in use until then)");
  }
  outcome.credentials = slots->size();
  current_slots_ = *slots;
  std::vector<std::string> kept;
  broker_->SetCredentials(*std::move(slots), &kept);
  ApplyPolicies(current_slots_, kept);
  for (const std::string& name : kept) {
    std::string line = absl::StrCat(
        "credential \"", name, "\": the previous definition keeps serving");
    LogWarning(line);
    outcome.errors.push_back(std::move(line));
  }
  if (LifetimeLoop* loop = lifetime_loop_.load()) loop->Wake();
  LogInfo("reloaded ", settings_.config_path, ": ", outcome.credentials,
          " credentials");
  return outcome;
}

void Agent::ApplyPolicies(
    const std::vector<std::shared_ptr<CredentialSlot>>& slots,
    const std::vector<std::string>& kept) {
  std::map<std::string, config::CallerPolicy> next;
  for (const std::shared_ptr<CredentialSlot>& slot : slots) {
    // A credential that failed to load serves nothing but its error, which
    // its requests should see, not a half-read policy's refusal.
    if (slot->config().error.ok()) next[slot->name()] = slot->config().policy;
  }
  for (const std::string& name : kept) {
    auto old = policies_.find(name);
    if (old != policies_.end()) next[name] = old->second;
  }
  policies_ = std::move(next);
  if (gate_ != nullptr) gate_->SetPolicies(policies_);
}

void Agent::DescribeSelf(v1::AgentStatus* status) {
  status->set_version(MCPCRED_VERSION);
  absl::Duration uptime = absl::Now() - started_;
  status->mutable_uptime()->set_seconds(absl::ToInt64Seconds(uptime));
  status->set_pid(getpid());
  status->set_socket_path(socket_path_);
  status->set_config_path(settings_.config_path);
  status->set_store(store_->name());
  status->set_store_location(store_->location());
  status->set_audit_error(audit_ != nullptr ? audit_->error() : audit_error_);
  status->set_locked(locked_.load());
  status->set_extra_socket_path(extra_socket_path_);
  for (const auto& [name, lib] : plugins_->plugins()) {
    v1::PluginInfo* info = status->add_plugins();
    info->set_name(name);
    info->set_path(lib->path());
    info->set_abi_version(lib->abi_version());
  }
}

std::unique_ptr<SecretStore> Agent::OpenStore() const {
  StoreOptions options;
  options.backend = store_backend_;
  options.state_dir = settings_.state_dir;
  // Set by systemd for LoadCredentialEncrypted=mcpcred.key.
  if (const char* dir = getenv("CREDENTIALS_DIRECTORY")) {
    options.credentials_dir = dir;
  }
  absl::StatusOr<std::unique_ptr<SecretStore>> store = OpenSecretStore(options);
  if (store.ok()) return *std::move(store);
  // The config loader accepts only known backends, so this is a bug.
  LogError(store.status().message(), ": using a memory store");
  return std::make_unique<MemoryStore>();
}

namespace {

// True if any string in the provider config is `reference`.
bool NamesReference(const nlohmann::json& value, const std::string& reference) {
  if (value.is_string())
    return value.get_ref<const std::string&>() == reference;
  if (value.is_structured()) {
    for (const nlohmann::json& item : value) {
      if (NamesReference(item, reference)) return true;
    }
  }
  return false;
}

}  // namespace

void Agent::RefetchSecretUsers(const std::string& name) {
  absl::MutexLock lock(&reload_mu_);
  std::set<std::string> affected;
  for (const std::shared_ptr<CredentialSlot>& slot : current_slots_) {
    if (NamesReference(slot->config().provider_config, "keyring:" + name)) {
      affected.insert(slot->name());
    }
  }
  RebuildLocked(affected, /*prefetch=*/true);
}

absl::Status Agent::AddSecret(const std::string& name,
                              const SecretString& value) {
  if (absl::Status unlocked = CheckUnlocked(); !unlocked.ok()) return unlocked;
  absl::Status put = store_->Put({name, "secret", ""}, value);
  if (!put.ok()) {
    LogWarning("cannot add secret \"", name, "\": ", put.message());
    return put;
  }
  LogInfo("added secret \"", name, "\" to the ", store_->name(), " store");
  RefetchSecretUsers(name);
  return absl::OkStatus();
}

absl::Status Agent::RemoveSecret(const std::string& name) {
  if (absl::Status unlocked = CheckUnlocked(); !unlocked.ok()) return unlocked;
  absl::Status deleted = store_->Delete({name, "secret", ""});
  if (!deleted.ok()) {
    LogWarning("cannot remove secret \"", name, "\": ", deleted.message());
    return deleted;
  }
  LogInfo("removed secret \"", name, "\" from the ", store_->name(), " store");
  RefetchSecretUsers(name);
  return absl::OkStatus();
}

StoreListing Agent::ListStore() { return {store_->name(), store_->List()}; }

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
    NotifyServiceManager("RELOADING=1");
    (void)agent->Reload();
    NotifyServiceManager("READY=1");
  }
}

}  // namespace

absl::Status Agent::Serve(ListenSocket socket, ListenSocket extra) {
  socket_path_ = socket.path;
  extra_socket_path_ = extra.path;
  // Here rather than in Create(): probing the keyring starts threads, which
  // a fork would lose and which must start with the signals blocked.
  store_->Open();
  // Fetches on demand and proactive refreshes have workers of their own, and
  // each pool grows past its base size when its workers are busy: a hung
  // provider holds one thread, never the others' fetches.
  pool_ = std::make_unique<ThreadPool>(settings_.worker_threads,
                                       settings_.max_worker_threads);
  refresh_pool_ = std::make_unique<ThreadPool>(2, settings_.max_worker_threads);
  RefreshPolicy policy;
  policy.fetch_deadline = settings_.fetch_timeout;
  broker_ = std::make_unique<Broker>(pool_.get(), SystemClock::Get(), policy,
                                     refresh_pool_.get(), &redaction_);
  gate_ =
      std::make_unique<AccessGate>(&callers_, ExecBinary::NextToSelf().path);
  {
    absl::MutexLock lock(&reload_mu_);
    ApplyPolicies(initial_slots_, {});
  }
  broker_->SetCredentials(std::exchange(initial_slots_, {}));
  auto refresh = std::make_unique<RefreshLoop>(broker_.get());
  auto lifetimes = std::make_unique<LifetimeLoop>(
      broker_.get(),
      [this](const std::vector<std::string>& names) { Forget(names); });
  lifetime_loop_.store(lifetimes.get());
  AgentService service(broker_.get(), this, &peers_, audit_.get(),
                       SystemClock::Get(), &calls_, gate_.get());

  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  // Bounded work per connection (calls at once, the default 4 MiB message),
  // and for all of them a memory quota under which gRPC shrinks its buffers
  // and, at worst, closes idle connections. (No max-idle timer: its filter
  // costs every call a timer, and silent connections never reach gRPC.)
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 256);
  grpc::ResourceQuota quota("mcpcred-agent");
  quota.Resize(size_t{256} << 20);
  builder.SetResourceQuota(quota);
  RaiseDescriptorLimit();
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) return absl::InternalError("cannot start the server");
  std::vector<AcceptorListener> listeners = {{socket.fd, server.get()}};
  // The extra socket is a server of its own, so that what a connection may
  // call is decided by the socket it came in on, never by the client.
  ForwardingService forwarding(&service, broker_.get(), extra.path);
  std::unique_ptr<grpc::Server> extra_server;
  if (extra.fd >= 0) {
    grpc::ServerBuilder extra_builder;
    extra_builder.RegisterService(&forwarding);
    extra_server = extra_builder.BuildAndStart();
    if (extra_server == nullptr) {
      return absl::InternalError("cannot start the extra socket's server");
    }
    // Caller policy applies here too: to the forwarding sshd as the caller.
    listeners.push_back({extra.fd, extra_server.get()});
  }
  ConnectionAcceptor acceptor(std::move(listeners), &peers_, &callers_);
  if (!acceptor.Start()) return absl::InternalError("cannot start accepting");
  if (extra_server != nullptr) {
    LogInfo("extra socket for forwarding on ", extra.path);
  }

  LogInfo("listening on ", socket.path, " (pid ", getpid(), ")");
  NotifyServiceManager("READY=1");
  WaitForStop(this);
  NotifyServiceManager("STOPPING=1");
  const absl::Time deadline = absl::Now() + kStopGrace;
  // First of all: a fetch running a command must not keep its processes (or
  // the agent) alive.
  for (const auto& [name, lib] : plugins_->plugins()) lib->Stop();
  acceptor.Stop();
  // Stop accepting first so no client meets a half-removed socket.
  if (socket.owned) unlink(socket.path.c_str());
  close(socket.fd);
  if (extra_server != nullptr) {
    if (extra.owned) unlink(extra.path.c_str());
    close(extra.fd);
  }
  service.StopWatches();
  gate_->Stop();  // open prompts end, their requests are refused
  // Logins count as cancelled from here; their clients are told the agent
  // stopped. A login or logout that does not end in time is answered so.
  const size_t calls_left = calls_.Stop(deadline);
  // Requests still waiting for a fetch are cancelled with their calls.
  const auto shutdown_by =
      absl::ToChronoTime(std::min(deadline, absl::Now() + absl::Seconds(2)));
  if (extra_server != nullptr) extra_server->Shutdown(shutdown_by);
  server->Shutdown(shutdown_by);
  if (extra_server != nullptr) extra_server->Wait();
  server->Wait();
  // Joins the prompt thread, whose answers call into the broker.
  gate_.reset();
  // The loops and the pools first: they call into the broker.
  lifetime_loop_.store(nullptr);
  lifetimes.reset();
  refresh.reset();
  const int fetches_left =
      refresh_pool_->Stop(deadline) + pool_->Stop(deadline);
  if (calls_left > 0 || fetches_left > 0) {
    // Only a provider that ignores the stop gets here. Its thread still uses
    // the broker, the plugins and this agent: they stay, and the process
    // ends around it.
    LogWarning(calls_left + fetches_left, " provider call(s) still running ",
               absl::FormatDuration(kStopGrace),
               " after the stop signal: exiting without them");
    threads_left_ = true;
    (void)pool_.release();
    (void)refresh_pool_.release();
    (void)broker_.release();
    return absl::OkStatus();
  }
  pool_.reset();
  refresh_pool_.reset();
  broker_.reset();
  return absl::OkStatus();
}

}  // namespace mcpcred

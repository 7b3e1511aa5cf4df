// The daemon: owns the plugins, the secret store, the broker and the gRPC
// server, serves on one listening socket, and reloads its config on request.
#ifndef MCPCRED_AGENT_DAEMON_AGENT_H_
#define MCPCRED_AGENT_DAEMON_AGENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/broker/broker.h"
#include "agent/daemon/listen_socket.h"
#include "agent/plugin/plugin_registry.h"
#include "agent/policy/audit_log.h"
#include "agent/policy/peer_table.h"
#include "agent/service/agent_control.h"
#include "agent/store/deferred_store.h"
#include "agent/util/thread_pool.h"

namespace mcpcred {

struct AgentSettings {
  std::string config_path;
  std::vector<std::string> plugin_dirs;
  std::string state_dir;  // for the audit log and the file store
  int worker_threads = 4;
  // Each pool (fetches, refreshes) grows to this many threads at most.
  int max_worker_threads = 64;
  absl::Duration fetch_timeout = absl::Seconds(30);
};

// Thread-safe once serving.
class Agent final : public AgentControl {
 public:
  // Loads the plugins and the config; starts no thread, so a caller may fork
  // afterwards. A missing config file starts an agent with no credentials
  // (logged); a config that does not parse is an error naming the file and
  // line.
  static absl::StatusOr<std::unique_ptr<Agent>> Create(
      const AgentSettings& settings);
  ~Agent() override;

  // Serves on `socket` until SIGTERM or SIGINT, reloading on SIGHUP. Those
  // three signals must be blocked in every thread before the call. Removes
  // the socket file on return if the agent created it.
  absl::Status Serve(ListenSocket socket);

  absl::StatusOr<ReloadOutcome> Reload() override;
  void DescribeSelf(v1::AgentStatus* status) override;
  absl::Status AddSecret(const std::string& name,
                         const SecretString& value) override;
  absl::Status RemoveSecret(const std::string& name) override;
  StoreListing ListStore() override;
  std::string StoreName() override { return store_->name(); }

 private:
  explicit Agent(AgentSettings settings) : settings_(std::move(settings)) {}
  // Reads the config and builds the slots; does not install them. Sets
  // *store_backend to the config's [store] backend.
  absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> LoadSlots(
      std::vector<std::string>* errors, std::string* store_backend);
  // Opens the store chosen by the config (store_factory.h).
  std::unique_ptr<SecretStore> OpenStore() const;
  // Gives the credentials that read keyring:NAME fresh slots, so that the
  // next request reads the store again instead of a cached old value.
  void RefetchSecretUsers(const std::string& name);

  const AgentSettings settings_;
  const absl::Time started_ = absl::Now();
  std::unique_ptr<PluginRegistry> plugins_;
  // The configured backend; a reload cannot change it (the store's entries
  // would not follow).
  std::string store_backend_ = "auto";
  // The backend is opened in Serve(), after any fork: probing the keyring
  // starts threads.
  std::unique_ptr<DeferredStore> store_;
  std::unique_ptr<AuditLog> audit_;
  std::string audit_error_;  // why audit_ is null, if a state dir was given
  PeerTable peers_;
  std::string socket_path_;
  std::vector<std::shared_ptr<CredentialSlot>> initial_slots_;
  // Every value handed out, and every secret a plugin read or stored: what
  // redaction masks. Before the slots, which use it from their creation.
  RedactionRegistry redaction_{SystemClock::Get()};
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<ThreadPool> refresh_pool_;
  std::unique_ptr<Broker> broker_;
  absl::Mutex reload_mu_;  // one reload at a time
  // The slots the broker serves, for RefetchSecretUsers.
  std::vector<std::shared_ptr<CredentialSlot>> current_slots_
      ABSL_GUARDED_BY(reload_mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_AGENT_H_

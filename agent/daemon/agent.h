// The daemon: owns the plugins, the secret store, the broker and the gRPC
// server, serves on one listening socket, and reloads its config on request.
#ifndef MCPCRED_AGENT_DAEMON_AGENT_H_
#define MCPCRED_AGENT_DAEMON_AGENT_H_

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/broker/broker.h"
#include "agent/broker/lifetime_loop.h"
#include "agent/daemon/listen_socket.h"
#include "agent/plugin/plugin_registry.h"
#include "agent/policy/access_gate.h"
#include "agent/policy/audit_log.h"
#include "agent/policy/caller_table.h"
#include "agent/policy/passphrase_hash.h"
#include "agent/policy/peer_table.h"
#include "agent/service/agent_control.h"
#include "agent/store/deferred_store.h"
#include "agent/util/owned_threads.h"
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
  // -t: the lifetime of every credential that does not set its own.
  std::optional<absl::Duration> default_lifetime;
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
  // the socket file on return if the agent created it. `extra` (fd -1:
  // none) is the restricted socket for forwarding (ForwardingService). On a
  // stop, cancels running logins and waits for every thread it started, up
  // to a grace period (kStopGrace); then it answers every client still
  // waiting.
  absl::Status Serve(ListenSocket socket, ListenSocket extra = {});
  // True after Serve() if a provider call ignored the stop past the grace
  // period: its thread still runs and uses this agent, which must then never
  // be destroyed (the process exits around it).
  bool threads_left() const { return threads_left_; }

  static constexpr absl::Duration kStopGrace = absl::Seconds(5);

  absl::StatusOr<ReloadOutcome> Reload() override;
  void DescribeSelf(v1::AgentStatus* status) override;
  absl::Status AddSecret(const std::string& name,
                         const SecretString& value) override;
  absl::Status RemoveSecret(const std::string& name) override;
  StoreListing ListStore() override;
  std::string StoreName() override { return store_->name(); }
  // Lock and lifetimes: agent_lock.cc.
  absl::Status CheckUnlocked() override;
  absl::Status Lock(const std::string& passphrase) override;
  absl::Status Unlock(const std::string& passphrase) override;

 private:
  explicit Agent(AgentSettings settings) : settings_(std::move(settings)) {}
  // Reads the config and builds the slots; does not install them. Sets
  // *store_backend to the config's [store] backend.
  absl::StatusOr<std::vector<std::shared_ptr<CredentialSlot>>> LoadSlots(
      std::vector<std::string>* errors, std::string* store_backend)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(reload_mu_);
  // Opens the store chosen by the config (store_factory.h).
  std::unique_ptr<SecretStore> OpenStore() const;
  // Gives the credentials that read keyring:NAME fresh slots, so that the
  // next request reads the store again instead of a cached old value.
  void RefetchSecretUsers(const std::string& name);
  // Slots for `config`: real ones, or while locked placeholders that hold
  // no provider and refuse every request (agent_lock.cc).
  std::vector<std::shared_ptr<CredentialSlot>> BuildSlotsLocked(
      const config::AgentConfig& config, std::vector<std::string>* errors,
      bool prefetch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(reload_mu_);
  // Gives the credentials `names` fresh slots (a new provider instance, no
  // cached token) and installs them.
  void RebuildLocked(const std::set<std::string>& names, bool prefetch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(reload_mu_);
  // Forgets what the credentials `names` hold: their lifetime has passed.
  void Forget(const std::vector<std::string>& names);
  // Gives the gate the policies of the slots just installed.
  void ApplyPolicies(const std::vector<std::shared_ptr<CredentialSlot>>& slots,
                     const std::vector<std::string>& kept)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(reload_mu_);

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
  CallerTable callers_;
  std::unique_ptr<AccessGate> gate_;  // from Serve() on
  std::string socket_path_;
  std::vector<std::shared_ptr<CredentialSlot>> initial_slots_;
  // Every value handed out, and every secret a plugin read or stored: what
  // redaction masks. Before the slots, which use it from their creation.
  RedactionRegistry redaction_{SystemClock::Get()};
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<ThreadPool> refresh_pool_;
  std::unique_ptr<Broker> broker_;
  // The threads of logins and logouts.
  OwnedThreads calls_;
  bool threads_left_ = false;
  absl::Mutex reload_mu_;  // one reload at a time
  // Each credential's caller policy as served: a credential whose new
  // definition failed keeps its old policy with its old slot.
  std::map<std::string, config::CallerPolicy> policies_
      ABSL_GUARDED_BY(reload_mu_);
  // The slots the broker serves, for RefetchSecretUsers.
  std::vector<std::shared_ptr<CredentialSlot>> current_slots_
      ABSL_GUARDED_BY(reload_mu_);
  // Set while locked: the hash of the lock passphrase.
  std::optional<PassphraseHash> lock_ ABSL_GUARDED_BY(reload_mu_);
  std::atomic<bool> locked_{false};  // lock_ has a value; read without a lock
  absl::Mutex unlock_mu_;            // one unlock attempt at a time
  std::string extra_socket_path_;
  // Wakes the lifetime loop after a reload; null outside Serve().
  std::atomic<LifetimeLoop*> lifetime_loop_{nullptr};
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_AGENT_H_

// One configured credential inside the broker: its config, its provider
// instance (absent if it failed to load), its cache and its in-flight fetch.
#ifndef MCPCRED_AGENT_BROKER_CREDENTIAL_SLOT_H_
#define MCPCRED_AGENT_BROKER_CREDENTIAL_SLOT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/rendered_credential.h"
#include "agent/config/config.h"
#include "agent/plugin/provider_instance.h"

namespace mcpcred {

using CredentialResult =
    absl::StatusOr<std::shared_ptr<const RenderedCredential>>;
using CredentialCallback = std::function<void(CredentialResult)>;

enum class CredentialState { kReady, kLoginRequired, kError };

// A point-in-time view for `mcpcred list`. Never holds a value.
struct CredentialSnapshot {
  std::string name;
  std::string provider;
  CredentialState state = CredentialState::kReady;
  std::optional<absl::Time> expires_at;
  std::string last_error;
  bool cached = false;
  bool has_login = false;
};

// Thread-safe. The broker owns the logic; the slot owns the state.
class CredentialSlot {
 public:
  // `provider` is null exactly when `load_error` is not OK. `prefetch`: fetch
  // as soon as the slot is installed (cheap local secrets, so that redaction
  // knows them before anyone asked).
  CredentialSlot(config::CredentialConfig config,
                 std::unique_ptr<ProviderInstance> provider,
                 absl::Status load_error, bool has_login,
                 bool prefetch = false);

  const std::string& name() const { return config_.name; }
  const config::CredentialConfig& config() const { return config_; }
  const absl::Status& load_error() const { return load_error_; }
  ProviderInstance* provider() const { return provider_.get(); }
  bool has_login() const { return has_login_; }
  bool prefetch() const { return prefetch_; }

  // Marks a login as running; false if one already is.
  bool BeginLogin();
  void EndLogin();
  // A login (or anything else outside a fetch) produced `credential`. Starts
  // a new epoch: a fetch that began before gives up its result. `obtained`:
  // when, for the lifetime (obtained_at()).
  void Install(std::shared_ptr<const RenderedCredential> credential,
               std::optional<absl::Time> obtained = std::nullopt);
  // Drops the cached credential; `why` becomes the last error. Starts a new
  // epoch: a fetch that began before (e.g. a refresh racing a logout) gives
  // up its result instead of serving the credential again.
  void Forget(absl::Status why);

  // How a request is served.
  enum class Lookup {
    kHit,         // *hit holds a credential valid for the request
    kQueued,      // `done` waits for the fetch in flight
    kStartFetch,  // `done` waits; the caller starts the fetch all share
    kRefused,     // `done` was not taken: *refusal says why
  };
  // Returns kHit with the cached credential if valid for `min_ttl`.
  // Otherwise queues `done` behind the one fetch in flight, unless
  // kMaxWaiters are waiting already or the fetch in flight has been running
  // longer than `fetch_deadline` (its provider hangs): then kRefused, with
  // RESOURCE_EXHAUSTED or UNAVAILABLE. A queued `done` gets a number, set in
  // *waiter when `waiter` is not null, for CancelWaiter().
  Lookup LookupOrQueue(absl::Time now, absl::Duration min_ttl,
                       absl::Duration fetch_deadline, CredentialCallback& done,
                       std::shared_ptr<const RenderedCredential>* hit,
                       absl::Status* refusal, uint64_t* waiter = nullptr);
  static constexpr size_t kMaxWaiters = 4096;

  // Takes the queued callback numbered `waiter` out of the queue, for a
  // request whose client gave up: its place is free at once. Returns null
  // when it is no longer queued (answered, or being answered).
  CredentialCallback CancelWaiter(uint64_t waiter);
  // Requests queued behind the fetch in flight.
  size_t waiting() const;

  // Answers every waiter of a fetch that has been running longer than
  // `deadline` (their requests must not hang with the provider): returns
  // them, with the still-valid cached credential or UNAVAILABLE in *answer.
  std::vector<CredentialCallback> ExpireHungFetch(absl::Time now,
                                                  absl::Duration deadline,
                                                  CredentialResult* answer);

  // For a client whose server rejected the value `rejected_version` (0: the
  // client does not say which): returns the cached credential if it is newer
  // than that and still valid; otherwise queues `done` behind the one fetch
  // in flight, starting one (*start_fetch) if none is.
  Lookup LookupNewerOrQueue(absl::Time now, uint64_t rejected_version,
                            absl::Duration fetch_deadline,
                            CredentialCallback& done,
                            std::shared_ptr<const RenderedCredential>* hit,
                            absl::Status* refusal, uint64_t* waiter = nullptr);

  // Claims the fetch for a proactive refresh: true if none was in flight and
  // the cached credential is still `expected` (nobody refreshed it since).
  bool BeginRefresh(const std::shared_ptr<const RenderedCredential>& expected,
                    absl::Time now);
  // The cached credential, or null.
  std::shared_ptr<const RenderedCredential> cached() const;

  // Records a finished fetch and returns the callbacks to answer, with the
  // result to answer them with: the new credential, or on failure a cached one
  // that has not expired yet, or the error. A fetch that began before a login
  // or logout changes nothing: its waiters get the state that login or logout
  // left. *stale says so.
  std::vector<CredentialCallback> Complete(absl::Time now,
                                           CredentialResult result,
                                           CredentialResult* answer,
                                           bool* stale);

  // `fetch_deadline`: a fetch running longer is reported as hung.
  CredentialSnapshot Snapshot(absl::Time now,
                              absl::Duration fetch_deadline) const;
  // The credential valid at `now`, or null with *why set to the last error
  // (the load error for a slot that failed to load; OK when nothing has been
  // fetched yet).
  std::shared_ptr<const RenderedCredential> Current(absl::Time now,
                                                    absl::Status* why) const;
  // The variable values of the cached credential (for redaction).
  std::vector<SecretString> HeldValues() const;
  // When this slot first obtained a credential (a fetch or a login), from
  // which its `lifetime` counts; nullopt while it has obtained none.
  std::optional<absl::Time> obtained_at() const;

 private:
  const config::CredentialConfig config_;
  const std::unique_ptr<ProviderInstance> provider_;
  const absl::Status load_error_;
  const bool has_login_;
  const bool prefetch_;

  // Queues `done`, starting a fetch if none runs (the Lookup* functions).
  Lookup QueueLocked(absl::Time now, absl::Duration fetch_deadline,
                     CredentialCallback& done, absl::Status* refusal,
                     uint64_t* waiter) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Empties the queue, in the order it was filled.
  std::vector<CredentialCallback> TakeWaitersLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StartFetchLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::shared_ptr<const RenderedCredential> cached_ ABSL_GUARDED_BY(mu_);
  bool fetching_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time fetch_started_ ABSL_GUARDED_BY(mu_);
  // Bumped by logins and logouts; a fetch remembers the one it began in.
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t fetch_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  // Queued requests by number (numbers only grow: the order they came in).
  std::map<uint64_t, CredentialCallback> waiters_ ABSL_GUARDED_BY(mu_);
  uint64_t next_waiter_ ABSL_GUARDED_BY(mu_) = 1;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  bool login_running_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<absl::Time> obtained_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_CREDENTIAL_SLOT_H_

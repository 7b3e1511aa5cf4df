// The credential broker: hands out credentials from a per-credential cache,
// fetching through the provider on a miss.
//
// A request that finds a cached credential valid for its minimum lifetime is
// answered at once, on the caller's thread, without waiting on any lock held
// during a fetch. A miss queues the request behind the one in-flight fetch for
// that credential (single-flight); fetches run on the thread pool, and no
// credential waits on another's.
//
// Credentials that expire are refreshed ahead of time (RefreshPolicy): each
// successful fetch queues its refresh, and RunDueRefreshes() (called by a
// RefreshLoop thread, or by a test) starts the fetches that are due. A failed
// refresh is retried with backoff while the cached credential stays valid and
// keeps being served.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_BROKER_BROKER_H_
#define MCPCRED_AGENT_BROKER_BROKER_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/credential_observer.h"
#include "agent/broker/credential_slot.h"
#include "agent/broker/refresh_policy.h"
#include "agent/policy/redaction_registry.h"
#include "agent/util/clock.h"
#include "agent/util/thread_pool.h"

namespace mcpcred {

struct SecretKeyNames {
  std::vector<std::string> env_keys;      // sorted, unique
  std::vector<std::string> header_names;  // sorted, unique
};

// A request queued behind a fetch, for Broker::Cancel. Empty until the
// request is queued (a request answered at once is never queued).
struct PendingRequest {
  std::weak_ptr<CredentialSlot> slot;
  uint64_t waiter = 0;
};

class Broker {
 public:
  // `pool` (fetches on demand), `refresh_pool` (proactive refreshes; null:
  // `pool`), `clock` and `redaction` (every value handed out goes there;
  // null: the broker keeps its own) must outlive the broker. Stop both pools
  // (ThreadPool::Stop) before destroying the broker: a fetch queued or
  // running there calls back into it.
  Broker(ThreadPool* pool, const Clock* clock, RefreshPolicy policy = {},
         ThreadPool* refresh_pool = nullptr,
         RedactionRegistry* redaction = nullptr);

  // Replaces the whole set (on load and reload). Fetches in flight on the old
  // set finish and answer their callers; later requests see the new set.
  // A new slot that failed to load, whose name has a working slot in the old
  // set, is replaced by that old slot (the old definition keeps serving);
  // each such name is added to *kept when `kept` is not null.
  // A new slot whose definition equals its old slot's is dropped and the old
  // one, with its provider instance and cached token, stays (one instance
  // per grant: two would race on a single-use refresh token); a kept slot
  // with cheap local secrets is fetched again, to see an edited secret.
  // Names in `replace` always take the new slot, even one that failed to
  // load (their secret changed; the agent was locked or unlocked).
  void SetCredentials(std::vector<std::shared_ptr<CredentialSlot>> slots,
                      std::vector<std::string>* kept = nullptr,
                      const std::set<std::string>& replace = {});

  // Answers `done` exactly once, possibly before returning. Errors:
  //   NOT_FOUND            no credential has that name;
  //   the load error       the credential failed to load (INVALID_ARGUMENT
  //                        for a config mistake, FAILED_PRECONDITION for a
  //                        missing secret, ...), naming file and line;
  //   FAILED_PRECONDITION  it needs a login, or a secret it names is missing;
  //   UNAVAILABLE          its upstream is down and no valid token is cached;
  //   others as the provider reports them.
  // A request that waits for a fetch is described in *pending (when not
  // null), so that Cancel() can take it back.
  void Get(const std::string& name, absl::Duration min_ttl,
           CredentialCallback done, PendingRequest* pending = nullptr);

  // For a client whose server rejected the credential's value
  // `rejected_version` (0: unknown): answers `done` with a newer valid value
  // if the broker already holds one, else with the result of a new fetch that
  // every such request shares. Returns FAILED_PRECONDITION, saying what to
  // do, when the new fetch gives back the same value and that value never
  // expires (the provider cannot refresh it, e.g. a static secret). Other
  // errors as Get().
  void ForceRefresh(const std::string& name, uint64_t rejected_version,
                    CredentialCallback done, PendingRequest* pending = nullptr);

  // The credential's cached value if it is valid for `min_ttl` now; else
  // null (then Get() tells why, or fetches). Never waits for a fetch.
  std::shared_ptr<const RenderedCredential> CachedFor(
      const std::string& name, absl::Duration min_ttl) const;

  // For a request whose client gave up (cancelled, past its deadline, or
  // disconnected): if it still waits for a fetch, it leaves the queue at
  // once, freeing its place under the cap, and its `done` is answered
  // CANCELLED. Otherwise (answered, or being answered) does nothing. The
  // fetch itself goes on: its result is cached for the next request.
  void Cancel(const PendingRequest& pending);

  // Runs the credential's interactive login on the calling thread, which it
  // blocks until the person is done. Errors: NOT_FOUND; FAILED_PRECONDITION
  // when the credential failed to load, has no login, or a login for it is
  // already running; else the provider's. On success the new credential is
  // cached and its refresh queued.
  absl::Status Login(const std::string& name, bool prefer_device,
                     LoginObserver* observer);
  // Forgets the credential's login (the provider revokes what it can); later
  // requests need a new login. Idempotent.
  absl::Status Logout(const std::string& name);

  // `wake` is called whenever a refresh is queued earlier than every other
  // one, so that a sleeping refresh loop can wake up for it; it runs with a
  // broker lock held and must only signal. Null clears it; once this
  // returns, the previous one is not called again.
  void SetRefreshWakeup(std::function<void()> wake);

  // Starts every proactive refresh due by now.
  void RunDueRefreshes();
  // Answers the waiters of every fetch past RefreshPolicy::fetch_deadline.
  void ExpireHungFetches();
  const Clock* clock() const { return clock_; }
  // When the next refresh is due; InfiniteFuture() if none is queued.
  absl::Time NextRefreshTime() const;
  // Proactive refreshes started so far (for status and tests).
  uint64_t refreshes_started() const;

  // Observers are told of every change (CredentialObserver). `observer`
  // must stay valid until RemoveObserver() returns.
  void AddObserver(CredentialObserver* observer);
  void RemoveObserver(CredentialObserver* observer);

  // The credential named `name` if it holds one valid now; else null, with
  // *why saying why: NOT_FOUND (no such credential), its load error, its last
  // fetch error, or OK when nothing was fetched yet.
  std::shared_ptr<const RenderedCredential> View(const std::string& name,
                                                 absl::Status* why) const;
  // The configured credential names, sorted.
  std::vector<std::string> Names() const;

  std::vector<CredentialSnapshot> Snapshot() const;
  // Every value handed out and not expired yet, compiled for redaction.
  std::shared_ptr<const RedactionSet> Redaction();
  // The same values, for a client that masks by itself (a relay).
  std::vector<SecretValue> RedactionValues();
  // Every env key and header name any credential fills (`forwarded_only`:
  // any credential without `forward = false`).
  SecretKeyNames SecretKeys(bool forwarded_only = false) const;
  // False only for a configured credential that says `forward = false`.
  bool Forwarded(const std::string& name) const;

  // The credentials whose `lifetime` has passed since they were obtained
  // (CredentialSlot::obtained_at), by the broker's clock. *next is when
  // another may be due, InfiniteFuture() when none has a lifetime: the
  // earliest due time, and no later than the shortest lifetime from now (a
  // credential obtained later is due no sooner). The broker forgets nothing
  // itself: the owner replaces those slots (Agent::Forget).
  std::vector<std::string> Outlived(absl::Time* next) const;

 private:
  using SlotMap = std::map<std::string, std::shared_ptr<CredentialSlot>>;

  struct PendingRefresh {
    std::weak_ptr<CredentialSlot> slot;
    // The credential this refresh replaces; stale once another replaced it.
    std::weak_ptr<const RenderedCredential> token;
    int attempt = 0;  // refreshes of this token that failed so far
  };

  std::shared_ptr<const SlotMap> slots() const;
  // The slot for a login or logout: NOT_FOUND, or FAILED_PRECONDITION when it
  // failed to load or has no login.
  absl::StatusOr<std::shared_ptr<CredentialSlot>> LoginSlot(
      const std::string& name) const;
  // `background_failures` is -1 for a fetch on demand; for a proactive
  // refresh, how many refreshes of this token failed before.
  void RunFetch(std::shared_ptr<CredentialSlot> slot, int background_failures);
  // Queues the next refresh of the slot's credential, or a retry.
  void ScheduleAfterFetch(const std::shared_ptr<CredentialSlot>& slot,
                          absl::Time fetched, bool fetch_ok,
                          int background_failures);
  double Random01();
  void Notify(const std::string& name, CredentialChange change);
  // The slot for a request, or the error to answer it with.
  absl::StatusOr<std::shared_ptr<CredentialSlot>> ServingSlot(
      const std::string& name) const;

  // Held around every provider call that may use or spend a grant (Fetch,
  // Logout) for one credential name, across slots: after a reload, an old
  // and a new instance never refresh one single-use token at once, and
  // never two logouts run at once.
  std::shared_ptr<absl::Mutex> GrantLock(const std::string& name);
  void ScheduleFetch(std::shared_ptr<CredentialSlot> slot,
                     int background_failures);
  // Acts on a slot's answer to a request: answers `done` (a hit or a
  // refusal), starts the shared fetch, or leaves `done` queued.
  void Serve(CredentialSlot::Lookup lookup,
             std::shared_ptr<CredentialSlot> slot, CredentialCallback& done,
             std::shared_ptr<const RenderedCredential> hit,
             absl::Status refused, uint64_t waiter, PendingRequest* pending);

  ThreadPool* const pool_;
  ThreadPool* const refresh_pool_;
  const Clock* const clock_;
  std::unique_ptr<RedactionRegistry> own_redaction_;
  RedactionRegistry& redaction_;
  const RefreshPolicy policy_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const SlotMap> slots_ ABSL_GUARDED_BY(mu_);

  absl::Mutex grant_locks_mu_;
  std::map<std::string, std::shared_ptr<absl::Mutex>> grant_locks_
      ABSL_GUARDED_BY(grant_locks_mu_);

  mutable absl::Mutex observers_mu_;
  std::vector<CredentialObserver*> observers_ ABSL_GUARDED_BY(observers_mu_);

  mutable absl::Mutex refresh_mu_;
  std::multimap<absl::Time, PendingRefresh> refreshes_
      ABSL_GUARDED_BY(refresh_mu_);
  absl::BitGen random_ ABSL_GUARDED_BY(refresh_mu_);
  uint64_t refreshes_started_ ABSL_GUARDED_BY(refresh_mu_) = 0;
  std::function<void()> wake_ ABSL_GUARDED_BY(refresh_mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_BROKER_H_

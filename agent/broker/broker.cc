#include "agent/broker/broker.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/config/env_expand.h"
#include "agent/plugin/plugin_status.h"
#include "agent/util/log.h"

namespace mcpcred {
namespace {

absl::Status UnknownCredential(const std::string& name) {
  return absl::NotFoundError(
      absl::StrCat("no credential named \"", name, "\": see 'mcpcred list'"));
}

}  // namespace

Broker::Broker(ThreadPool* pool, const Clock* clock, RefreshPolicy policy,
               ThreadPool* refresh_pool, RedactionRegistry* redaction)
    : pool_(pool),
      refresh_pool_(refresh_pool != nullptr ? refresh_pool : pool),
      clock_(clock),
      own_redaction_(redaction != nullptr
                         ? nullptr
                         : std::make_unique<RedactionRegistry>(clock)),
      redaction_(redaction != nullptr ? *redaction : *own_redaction_),
      policy_(policy),
      slots_(std::make_shared<SlotMap>()) {}

namespace {

// Whether two definitions of a credential would behave the same. The line
// may move; the key lines only place error messages.
bool SameDefinition(const config::CredentialConfig& a,
                    const config::CredentialConfig& b) {
  auto same_templates = [](const std::map<std::string, config::Template>& x,
                           const std::map<std::string, config::Template>& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                      [](const auto& p, const auto& q) {
                        return p.first == q.first &&
                               p.second.source() == q.second.source();
                      });
  };
  return a.name == b.name && a.provider == b.provider &&
         a.provider_config == b.provider_config && a.lifetime == b.lifetime &&
         a.forward == b.forward && same_templates(a.env, b.env) &&
         same_templates(a.headers, b.headers);
}

}  // namespace

void Broker::SetCredentials(std::vector<std::shared_ptr<CredentialSlot>> list,
                            std::vector<std::string>* kept,
                            const std::set<std::string>& replace) {
  auto map = std::make_shared<SlotMap>();
  std::vector<std::pair<std::string, CredentialChange>> changes;
  // Slots to fetch now; `true`: again, though a value is cached.
  std::vector<std::pair<std::shared_ptr<CredentialSlot>, bool>> fetch;
  {
    absl::MutexLock lock(&mu_);
    for (auto& slot : list) {
      std::string name = slot->name();
      auto old = slots_->find(name);
      const bool had = old != slots_->end() && old->second->load_error().ok();
      if (had && !slot->load_error().ok() && replace.count(name) == 0) {
        slot = old->second;
        if (kept != nullptr) kept->push_back(name);
      } else if (had && replace.count(name) == 0 &&
                 SameDefinition(slot->config(), old->second->config())) {
        slot = old->second;
        if (slot->prefetch()) fetch.emplace_back(slot, true);
      }
      if (old == slots_->end() || old->second != slot) {
        changes.emplace_back(name, CredentialChange::kReloaded);
        if (slot->prefetch() && slot->load_error().ok()) {
          fetch.emplace_back(slot, false);
        }
      }
      map->emplace(std::move(name), std::move(slot));
    }
    for (const auto& [name, slot] : *slots_) {
      if (map->count(name) == 0) {
        changes.emplace_back(name, CredentialChange::kRemoved);
      }
    }
    slots_ = map;
  }
  for (const auto& [name, change] : changes) Notify(name, change);
  for (auto& [slot, again] : fetch) {
    // Cheap local secrets are fetched at once, so that redaction knows them
    // before anyone asks (and a kept slot sees an edited secret).
    CredentialCallback ignore = [](CredentialResult) {};
    std::shared_ptr<const RenderedCredential> unused;
    absl::Status refused;
    const absl::Time now = clock_->Now();
    CredentialSlot::Lookup lookup =
        again ? slot->LookupNewerOrQueue(now, 0, policy_.fetch_deadline, ignore,
                                         &unused, &refused)
              : slot->LookupOrQueue(now, absl::ZeroDuration(),
                                    policy_.fetch_deadline, ignore, &unused,
                                    &refused);
    if (lookup == CredentialSlot::Lookup::kStartFetch) {
      ScheduleFetch(std::move(slot), -1);
    }
  }
}

std::shared_ptr<const Broker::SlotMap> Broker::slots() const {
  absl::MutexLock lock(&mu_);
  return slots_;
}

std::shared_ptr<absl::Mutex> Broker::GrantLock(const std::string& name) {
  absl::MutexLock lock(&grant_locks_mu_);
  std::shared_ptr<absl::Mutex>& mutex = grant_locks_[name];
  if (mutex == nullptr) mutex = std::make_shared<absl::Mutex>();
  return mutex;
}

void Broker::ScheduleFetch(std::shared_ptr<CredentialSlot> slot,
                           int background_failures) {
  ThreadPool* pool = background_failures >= 0 ? refresh_pool_ : pool_;
  pool->Schedule([this, slot = std::move(slot), background_failures]() mutable {
    RunFetch(std::move(slot), background_failures);
  });
}

absl::StatusOr<std::shared_ptr<CredentialSlot>> Broker::ServingSlot(
    const std::string& name) const {
  std::shared_ptr<const SlotMap> map = slots();
  auto it = map->find(name);
  if (it == map->end()) {
    return UnknownCredential(name);
  }
  // The load error's own code: a config mistake is not "log in first".
  if (!it->second->load_error().ok()) return it->second->load_error();
  return it->second;
}

void Broker::Get(const std::string& name, absl::Duration min_ttl,
                 CredentialCallback done, PendingRequest* pending) {
  absl::StatusOr<std::shared_ptr<CredentialSlot>> slot = ServingSlot(name);
  if (!slot.ok()) {
    done(slot.status());
    return;
  }
  std::shared_ptr<const RenderedCredential> hit;
  absl::Status refused;
  uint64_t waiter = 0;
  CredentialSlot::Lookup lookup =
      (*slot)->LookupOrQueue(clock_->Now(), min_ttl, policy_.fetch_deadline,
                             done, &hit, &refused, &waiter);
  Serve(lookup, *std::move(slot), done, std::move(hit), std::move(refused),
        waiter, pending);
}

std::shared_ptr<const RenderedCredential> Broker::CachedFor(
    const std::string& name, absl::Duration min_ttl) const {
  absl::StatusOr<std::shared_ptr<CredentialSlot>> slot = ServingSlot(name);
  if (!slot.ok()) return nullptr;
  std::shared_ptr<const RenderedCredential> cached = (*slot)->cached();
  if (cached == nullptr || !cached->ValidFor(clock_->Now(), min_ttl)) {
    return nullptr;
  }
  return cached;
}

void Broker::Cancel(const PendingRequest& pending) {
  std::shared_ptr<CredentialSlot> slot = pending.slot.lock();
  if (slot == nullptr || pending.waiter == 0) return;
  CredentialCallback done = slot->CancelWaiter(pending.waiter);
  if (done == nullptr) return;
  done(absl::CancelledError(
      absl::StrCat("the request for credential \"", slot->name(),
                   "\" was cancelled while its fetch ran")));
}

void Broker::Serve(CredentialSlot::Lookup lookup,
                   std::shared_ptr<CredentialSlot> slot,
                   CredentialCallback& done,
                   std::shared_ptr<const RenderedCredential> hit,
                   absl::Status refused, uint64_t waiter,
                   PendingRequest* pending) {
  if (pending != nullptr && (lookup == CredentialSlot::Lookup::kQueued ||
                             lookup == CredentialSlot::Lookup::kStartFetch)) {
    pending->slot = slot;
    pending->waiter = waiter;
  }
  switch (lookup) {
    case CredentialSlot::Lookup::kHit:
      done(std::move(hit));
      break;
    case CredentialSlot::Lookup::kRefused:
      done(std::move(refused));
      break;
    case CredentialSlot::Lookup::kStartFetch:
      ScheduleFetch(std::move(slot), /*background_failures=*/-1);
      break;
    case CredentialSlot::Lookup::kQueued:
      break;
  }
}

void Broker::ForceRefresh(const std::string& name, uint64_t rejected_version,
                          CredentialCallback done, PendingRequest* pending) {
  absl::StatusOr<std::shared_ptr<CredentialSlot>> slot = ServingSlot(name);
  if (!slot.ok()) {
    done(slot.status());
    return;
  }
  // What the client holds, as far as the broker can tell: the value it
  // names, else the one cached now.
  std::shared_ptr<const RenderedCredential> held = (*slot)->cached();
  if (held != nullptr && rejected_version != 0 &&
      held->version != rejected_version) {
    held = nullptr;
  }
  CredentialCallback checked = [held, done = std::move(done), name,
                                provider = (*slot)->config().provider](
                                   CredentialResult result) {
    if (result.ok() && held != nullptr && !(*result)->expires_at.has_value() &&
        (*result)->token == held->token) {
      done(absl::FailedPreconditionError(absl::StrCat(
          "credential \"", name, "\" was rejected and provider \"", provider,
          "\" cannot refresh it: store a new value ('mcpcred add') or "
          "fix the secret it names")));
      return;
    }
    done(std::move(result));
  };
  std::shared_ptr<const RenderedCredential> newer;
  absl::Status refused;
  uint64_t waiter = 0;
  CredentialSlot::Lookup lookup = (*slot)->LookupNewerOrQueue(
      clock_->Now(), rejected_version, policy_.fetch_deadline, checked, &newer,
      &refused, &waiter);
  Serve(lookup, *std::move(slot), checked, std::move(newer), std::move(refused),
        waiter, pending);
}

void Broker::RunFetch(std::shared_ptr<CredentialSlot> slot,
                      int background_failures) {
  const absl::Time started = clock_->Now();
  CredentialResult result = [&]() -> CredentialResult {
    absl::StatusOr<FetchedToken> token = [&] {
      std::shared_ptr<absl::Mutex> grant = GrantLock(slot->name());
      absl::MutexLock lock(grant.get());
      return slot->provider()->Fetch();
    }();
    // The provider saw expanded values; the person wrote ${VAR}.
    if (!token.ok()) {
      token = config::HideExpansions(token.status(), slot->config().expansions);
    }
    if (IsLoginRequired(token.status())) {
      return LoginRequiredError(slot->name(),
                                std::string(token.status().message()));
    }
    if (!token.ok()) return token.status();
    absl::StatusOr<RenderedCredential> rendered =
        RenderCredential(slot->config(), *std::move(token));
    if (!rendered.ok()) return rendered.status();
    redaction_.Add(slot->name(), rendered->secret_values, rendered->expires_at);
    return std::make_shared<const RenderedCredential>(*std::move(rendered));
  }();
  const bool fetch_ok = result.ok();
  if (!fetch_ok) {
    // Messages never hold values; a refresh that fails in the background
    // would otherwise go unseen until a request meets it.
    LogWarning("credential \"", slot->name(),
               "\": ", background_failures >= 0 ? "refresh" : "fetch",
               " failed: ", result.status().message());
  }
  CredentialResult answer = absl::UnknownError("unset");
  bool stale = false;
  std::vector<CredentialCallback> waiters =
      slot->Complete(clock_->Now(), std::move(result), &answer, &stale);
  if (!stale) {
    ScheduleAfterFetch(slot, started, fetch_ok, background_failures);
    if (fetch_ok) {
      Notify(slot->name(), CredentialChange::kRefreshed);
    } else if (!answer.ok()) {
      Notify(slot->name(), CredentialChange::kError);
    }
  }
  for (CredentialCallback& waiter : waiters) waiter(answer);
}

absl::StatusOr<std::shared_ptr<CredentialSlot>> Broker::LoginSlot(
    const std::string& name) const {
  std::shared_ptr<const SlotMap> map = slots();
  auto it = map->find(name);
  if (it == map->end()) {
    return UnknownCredential(name);
  }
  const std::shared_ptr<CredentialSlot>& slot = it->second;
  if (!slot->load_error().ok()) {
    return slot->load_error();
  }
  if (!slot->has_login()) {
    return absl::FailedPreconditionError(
        absl::StrCat("credential \"", name, "\" uses provider \"",
                     slot->config().provider, "\", which has no login"));
  }
  return slot;
}

absl::Status Broker::Login(const std::string& name, bool prefer_device,
                           LoginObserver* observer) {
  absl::StatusOr<std::shared_ptr<CredentialSlot>> slot = LoginSlot(name);
  if (!slot.ok()) return slot.status();
  if (!(*slot)->BeginLogin()) {
    return absl::FailedPreconditionError(
        absl::StrCat("a login for \"", name, "\" is already running"));
  }
  const absl::Time started = clock_->Now();
  absl::StatusOr<FetchedToken> token =
      (*slot)->provider()->Login(observer, prefer_device);
  absl::Status status = token.status();
  if (token.ok()) {
    absl::StatusOr<RenderedCredential> rendered =
        RenderCredential((*slot)->config(), *std::move(token));
    status = rendered.status();
    if (rendered.ok()) {
      redaction_.Add(name, rendered->secret_values, rendered->expires_at);
      (*slot)->Install(
          std::make_shared<const RenderedCredential>(*std::move(rendered)),
          clock_->Now());
      ScheduleAfterFetch(*slot, started, /*fetch_ok=*/true, -1);
    }
  }
  (*slot)->EndLogin();
  if (status.ok()) Notify(name, CredentialChange::kLogin);
  return config::HideExpansions(status, (*slot)->config().expansions);
}

absl::Status Broker::Logout(const std::string& name) {
  absl::StatusOr<std::shared_ptr<CredentialSlot>> slot = LoginSlot(name);
  if (!slot.ok()) return slot.status();
  absl::Status status;
  {
    // After a refresh in flight (whose result the logout then discards),
    // never during one, and never beside another logout.
    std::shared_ptr<absl::Mutex> grant = GrantLock(name);
    absl::MutexLock lock(grant.get());
    status = config::HideExpansions((*slot)->provider()->Logout(),
                                    (*slot)->config().expansions);
    // Forget locally even when revocation failed: the user asked to be out.
    (*slot)->Forget(LoginRequiredError(name, "logged out"));
  }
  Notify(name, CredentialChange::kLogout);
  return status;
}

double Broker::Random01() {
  absl::MutexLock lock(&refresh_mu_);
  return absl::Uniform(random_, 0.0, 1.0);
}

void Broker::ScheduleAfterFetch(const std::shared_ptr<CredentialSlot>& slot,
                                absl::Time fetched, bool fetch_ok,
                                int background_failures) {
  std::shared_ptr<const RenderedCredential> cached = slot->cached();
  if (cached == nullptr || !cached->expires_at.has_value()) return;
  const absl::Time expires = *cached->expires_at;
  absl::Time at;
  int failures = 0;
  if (fetch_ok) {
    at = RefreshTime(policy_, fetched, expires, Random01());
  } else if (background_failures >= 0) {
    // A failed proactive refresh: retry with backoff while the cached
    // credential is still worth serving. Past expiry, demand fetches again.
    failures = background_failures + 1;
    at = clock_->Now() + RetryDelay(policy_, failures, Random01());
    if (at >= expires) return;
  } else {
    return;  // a failed on-demand fetch leaves the queued refresh in place
  }
  absl::MutexLock lock(&refresh_mu_);
  const bool earliest = refreshes_.empty() || at < refreshes_.begin()->first;
  refreshes_.emplace(at, PendingRefresh{slot, cached, failures});
  if (earliest && wake_) wake_();
}

void Broker::SetRefreshWakeup(std::function<void()> wake) {
  absl::MutexLock lock(&refresh_mu_);
  wake_ = std::move(wake);
}

void Broker::RunDueRefreshes() {
  const absl::Time now = clock_->Now();
  std::vector<PendingRefresh> due;
  {
    absl::MutexLock lock(&refresh_mu_);
    auto end = refreshes_.upper_bound(now);
    for (auto it = refreshes_.begin(); it != end; ++it) {
      due.push_back(std::move(it->second));
    }
    refreshes_.erase(refreshes_.begin(), end);
  }
  std::shared_ptr<const SlotMap> map = slots();
  for (PendingRefresh& refresh : due) {
    std::shared_ptr<CredentialSlot> slot = refresh.slot.lock();
    std::shared_ptr<const RenderedCredential> token = refresh.token.lock();
    // Skip slots a reload replaced and tokens already replaced on demand.
    if (slot == nullptr || token == nullptr) continue;
    auto current = map->find(slot->name());
    if (current == map->end() || current->second != slot) continue;
    if (!slot->BeginRefresh(token, now)) continue;
    {
      absl::MutexLock lock(&refresh_mu_);
      ++refreshes_started_;
    }
    ScheduleFetch(std::move(slot), refresh.attempt);
  }
}

void Broker::ExpireHungFetches() {
  std::shared_ptr<const SlotMap> map = slots();
  const absl::Time now = clock_->Now();
  for (const auto& [name, slot] : *map) {
    CredentialResult answer = absl::UnknownError("unset");
    for (CredentialCallback& waiter :
         slot->ExpireHungFetch(now, policy_.fetch_deadline, &answer)) {
      waiter(answer);
    }
  }
}

absl::Time Broker::NextRefreshTime() const {
  absl::MutexLock lock(&refresh_mu_);
  return refreshes_.empty() ? absl::InfiniteFuture()
                            : refreshes_.begin()->first;
}

uint64_t Broker::refreshes_started() const {
  absl::MutexLock lock(&refresh_mu_);
  return refreshes_started_;
}

void Broker::AddObserver(CredentialObserver* observer) {
  absl::MutexLock lock(&observers_mu_);
  observers_.push_back(observer);
}

void Broker::RemoveObserver(CredentialObserver* observer) {
  absl::MutexLock lock(&observers_mu_);
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer),
                   observers_.end());
}

void Broker::Notify(const std::string& name, CredentialChange change) {
  // Held while calling out, so that RemoveObserver() waits for the calls.
  absl::MutexLock lock(&observers_mu_);
  for (CredentialObserver* observer : observers_) {
    observer->OnCredentialChanged(name, change);
  }
}

std::shared_ptr<const RenderedCredential> Broker::View(
    const std::string& name, absl::Status* why) const {
  std::shared_ptr<const SlotMap> map = slots();
  auto it = map->find(name);
  if (it == map->end()) {
    *why = UnknownCredential(name);
    return nullptr;
  }
  return it->second->Current(clock_->Now(), why);
}

std::vector<std::string> Broker::Names() const {
  std::shared_ptr<const SlotMap> map = slots();
  std::vector<std::string> names;
  names.reserve(map->size());
  for (const auto& [name, slot] : *map) names.push_back(name);
  return names;
}

std::vector<CredentialSnapshot> Broker::Snapshot() const {
  std::shared_ptr<const SlotMap> map = slots();
  absl::Time now = clock_->Now();
  std::vector<CredentialSnapshot> out;
  out.reserve(map->size());
  for (const auto& [name, slot] : *map) {
    out.push_back(slot->Snapshot(now, policy_.fetch_deadline));
  }
  return out;
}

bool Broker::Forwarded(const std::string& name) const {
  std::shared_ptr<const SlotMap> map = slots();
  auto it = map->find(name);
  return it == map->end() || it->second->config().forward;
}

std::vector<std::string> Broker::Outlived(absl::Time* next) const {
  std::shared_ptr<const SlotMap> map = slots();
  const absl::Time now = clock_->Now();
  std::vector<std::string> outlived;
  *next = absl::InfiniteFuture();
  for (const auto& [name, slot] : *map) {
    const std::optional<absl::Duration>& lifetime = slot->config().lifetime;
    if (!lifetime.has_value()) continue;
    // A credential obtained after this call is due no sooner than this.
    *next = std::min(*next, now + *lifetime);
    const std::optional<absl::Time> obtained = slot->obtained_at();
    if (!obtained.has_value()) continue;
    if (*obtained + *lifetime <= now) {
      outlived.push_back(name);
    } else {
      *next = std::min(*next, *obtained + *lifetime);
    }
  }
  return outlived;
}

std::shared_ptr<const RedactionSet> Broker::Redaction() {
  return redaction_.Current();
}

std::vector<SecretValue> Broker::RedactionValues() {
  return redaction_.Values();
}

SecretKeyNames Broker::SecretKeys(bool forwarded_only) const {
  std::shared_ptr<const SlotMap> map = slots();
  std::set<std::string> env, headers;
  for (const auto& [name, slot] : *map) {
    if (forwarded_only && !slot->config().forward) continue;
    for (const auto& [key, tmpl] : slot->config().env) env.insert(key);
    for (const auto& [key, tmpl] : slot->config().headers) headers.insert(key);
  }
  return {{env.begin(), env.end()}, {headers.begin(), headers.end()}};
}

}  // namespace mcpcred

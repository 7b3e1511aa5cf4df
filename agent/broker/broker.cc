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

Broker::Broker(ThreadPool* pool, const Clock* clock, RefreshPolicy policy)
    : pool_(pool),
      clock_(clock),
      policy_(policy),
      slots_(std::make_shared<SlotMap>()) {}

void Broker::SetCredentials(std::vector<std::shared_ptr<CredentialSlot>> list,
                            std::vector<std::string>* kept) {
  auto map = std::make_shared<SlotMap>();
  std::vector<std::pair<std::string, CredentialChange>> changes;
  {
    absl::MutexLock lock(&mu_);
    for (auto& slot : list) {
      std::string name = slot->name();
      auto old = slots_->find(name);
      if (!slot->load_error().ok() && old != slots_->end() &&
          old->second->load_error().ok()) {
        slot = old->second;
        if (kept != nullptr) kept->push_back(name);
      }
      if (old == slots_->end() || old->second != slot) {
        changes.emplace_back(name, CredentialChange::kReloaded);
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
  for (const auto& [name, slot] : *map) {
    if (!slot->prefetch() || !slot->load_error().ok()) continue;
    bool start = false;
    CredentialCallback ignore = [](CredentialResult) {};
    if (slot->LookupOrQueue(clock_->Now(), absl::ZeroDuration(), ignore,
                            &start) == nullptr &&
        start) {
      pool_->Schedule([this, slot = slot] { RunFetch(slot, -1); });
    }
  }
}

std::shared_ptr<const Broker::SlotMap> Broker::slots() const {
  absl::MutexLock lock(&mu_);
  return slots_;
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
                 CredentialCallback done) {
  absl::StatusOr<std::shared_ptr<CredentialSlot>> slot = ServingSlot(name);
  if (!slot.ok()) {
    done(slot.status());
    return;
  }
  bool start_fetch = false;
  std::shared_ptr<const RenderedCredential> hit =
      (*slot)->LookupOrQueue(clock_->Now(), min_ttl, done, &start_fetch);
  if (hit != nullptr) {
    done(std::move(hit));
    return;
  }
  if (start_fetch) {
    pool_->Schedule([this, slot = *std::move(slot)]() mutable {
      RunFetch(std::move(slot), /*background_failures=*/-1);
    });
  }
}

void Broker::ForceRefresh(const std::string& name, uint64_t rejected_version,
                          CredentialCallback done) {
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
  bool start_fetch = false;
  std::shared_ptr<const RenderedCredential> newer = (*slot)->LookupNewerOrQueue(
      clock_->Now(), rejected_version, checked, &start_fetch);
  if (newer != nullptr) {
    checked(std::move(newer));
    return;
  }
  if (start_fetch) {
    pool_->Schedule([this, slot = *std::move(slot)]() mutable {
      RunFetch(std::move(slot), /*background_failures=*/-1);
    });
  }
}

void Broker::RunFetch(std::shared_ptr<CredentialSlot> slot,
                      int background_failures) {
  const absl::Time started = clock_->Now();
  CredentialResult result = [&]() -> CredentialResult {
    absl::StatusOr<FetchedToken> token = slot->provider()->Fetch();
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
  std::vector<CredentialCallback> waiters =
      slot->Complete(clock_->Now(), std::move(result), &answer);
  ScheduleAfterFetch(slot, started, fetch_ok, background_failures);
  if (fetch_ok) {
    Notify(slot->name(), CredentialChange::kRefreshed);
  } else if (!answer.ok()) {
    Notify(slot->name(), CredentialChange::kError);
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
      (*slot)->Install(
          std::make_shared<const RenderedCredential>(*std::move(rendered)));
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
  absl::Status status = config::HideExpansions((*slot)->provider()->Logout(),
                                               (*slot)->config().expansions);
  // Forget locally even when revocation failed: the user asked to be out.
  (*slot)->Forget(LoginRequiredError(name, "logged out"));
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
    if (!slot->BeginRefresh(token)) continue;
    {
      absl::MutexLock lock(&refresh_mu_);
      ++refreshes_started_;
    }
    pool_->Schedule(
        [this, slot = std::move(slot), failures = refresh.attempt]() mutable {
          RunFetch(std::move(slot), failures);
        });
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
  for (const auto& [name, slot] : *map) out.push_back(slot->Snapshot(now));
  return out;
}

std::vector<SecretValue> Broker::HeldSecrets() const {
  std::shared_ptr<const SlotMap> map = slots();
  std::vector<SecretValue> out;
  for (const auto& [name, slot] : *map) {
    for (std::string& value : slot->HeldValues()) {
      out.push_back({std::move(value), name});
    }
  }
  return out;
}

SecretKeyNames Broker::SecretKeys() const {
  std::shared_ptr<const SlotMap> map = slots();
  std::set<std::string> env, headers;
  for (const auto& [name, slot] : *map) {
    for (const auto& [key, tmpl] : slot->config().env) env.insert(key);
    for (const auto& [key, tmpl] : slot->config().headers) headers.insert(key);
  }
  return {{env.begin(), env.end()}, {headers.begin(), headers.end()}};
}

}  // namespace mcpcred

#include "agent/broker/credential_slot.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/plugin/plugin_status.h"

namespace mcpcred {

CredentialSlot::CredentialSlot(config::CredentialConfig config,
                               std::unique_ptr<ProviderInstance> provider,
                               absl::Status load_error, bool has_login,
                               bool prefetch)
    : config_(std::move(config)),
      provider_(std::move(provider)),
      load_error_(std::move(load_error)),
      has_login_(has_login),
      prefetch_(prefetch) {}

void CredentialSlot::StartFetchLocked(absl::Time now) {
  fetching_ = true;
  fetch_started_ = now;
  fetch_epoch_ = epoch_;
}

CredentialSlot::Lookup CredentialSlot::QueueLocked(
    absl::Time now, absl::Duration fetch_deadline, CredentialCallback& done,
    absl::Status* refusal, uint64_t* waiter) {
  if (fetching_ && now - fetch_started_ > fetch_deadline) {
    *refusal = absl::UnavailableError(
        absl::StrCat("credential \"", config_.name, "\": provider \"",
                     config_.provider, "\" has not answered for ",
                     absl::FormatDuration(
                         absl::Trunc(now - fetch_started_, absl::Seconds(1))),
                     "; try again later"));
    return Lookup::kRefused;
  }
  if (waiters_.size() >= kMaxWaiters) {
    *refusal = absl::ResourceExhaustedError(absl::StrCat(
        "credential \"", config_.name, "\": too many requests waiting"));
    return Lookup::kRefused;
  }
  const uint64_t id = next_waiter_++;
  waiters_.emplace(id, std::move(done));
  if (waiter != nullptr) *waiter = id;
  if (fetching_) return Lookup::kQueued;
  StartFetchLocked(now);
  return Lookup::kStartFetch;
}

CredentialSlot::Lookup CredentialSlot::LookupOrQueue(
    absl::Time now, absl::Duration min_ttl, absl::Duration fetch_deadline,
    CredentialCallback& done, std::shared_ptr<const RenderedCredential>* hit,
    absl::Status* refusal, uint64_t* waiter) {
  absl::MutexLock lock(&mu_);
  if (cached_ != nullptr && cached_->ValidFor(now, min_ttl)) {
    *hit = cached_;
    return Lookup::kHit;
  }
  return QueueLocked(now, fetch_deadline, done, refusal, waiter);
}

CredentialSlot::Lookup CredentialSlot::LookupNewerOrQueue(
    absl::Time now, uint64_t rejected_version, absl::Duration fetch_deadline,
    CredentialCallback& done, std::shared_ptr<const RenderedCredential>* hit,
    absl::Status* refusal, uint64_t* waiter) {
  absl::MutexLock lock(&mu_);
  if (cached_ != nullptr && rejected_version != 0 &&
      cached_->version > rejected_version &&
      cached_->ValidFor(now, absl::ZeroDuration())) {
    *hit = cached_;
    return Lookup::kHit;
  }
  return QueueLocked(now, fetch_deadline, done, refusal, waiter);
}

CredentialCallback CredentialSlot::CancelWaiter(uint64_t waiter) {
  absl::MutexLock lock(&mu_);
  auto it = waiters_.find(waiter);
  if (it == waiters_.end()) return nullptr;
  CredentialCallback done = std::move(it->second);
  waiters_.erase(it);
  return done;
}

size_t CredentialSlot::waiting() const {
  absl::MutexLock lock(&mu_);
  return waiters_.size();
}

std::vector<CredentialCallback> CredentialSlot::TakeWaitersLocked() {
  std::vector<CredentialCallback> out;
  out.reserve(waiters_.size());
  for (auto& [id, done] : waiters_) out.push_back(std::move(done));
  waiters_.clear();
  return out;
}

std::vector<CredentialCallback> CredentialSlot::ExpireHungFetch(
    absl::Time now, absl::Duration deadline, CredentialResult* answer) {
  absl::MutexLock lock(&mu_);
  if (!fetching_ || waiters_.empty() || now - fetch_started_ <= deadline) {
    return {};
  }
  if (cached_ != nullptr && cached_->ValidFor(now, absl::ZeroDuration())) {
    *answer = cached_;
  } else {
    *answer = absl::UnavailableError(absl::StrCat(
        "credential \"", config_.name, "\": provider \"", config_.provider,
        "\" did not answer within ", absl::FormatDuration(deadline)));
  }
  return TakeWaitersLocked();
}

bool CredentialSlot::BeginRefresh(
    const std::shared_ptr<const RenderedCredential>& expected, absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (fetching_ || cached_ != expected) return false;
  StartFetchLocked(now);
  return true;
}

std::shared_ptr<const RenderedCredential> CredentialSlot::cached() const {
  absl::MutexLock lock(&mu_);
  return cached_;
}

std::vector<CredentialCallback> CredentialSlot::Complete(
    absl::Time now, CredentialResult result, CredentialResult* answer,
    bool* stale) {
  absl::MutexLock lock(&mu_);
  fetching_ = false;
  *stale = fetch_epoch_ != epoch_;
  if (*stale) {
    // A login or logout came in between: what it left stands.
    if (cached_ != nullptr && cached_->ValidFor(now, absl::ZeroDuration())) {
      *answer = cached_;
    } else if (!last_error_.ok()) {
      *answer = last_error_;
    } else {
      *answer = std::move(result);
    }
  } else if (result.ok()) {
    cached_ = *result;
    if (!obtained_at_.has_value()) obtained_at_ = now;
    last_error_ = absl::OkStatus();
    *answer = std::move(result);
  } else {
    last_error_ = result.status();
    // A token that still works beats an error while upstream is down.
    if (cached_ != nullptr && cached_->ValidFor(now, absl::ZeroDuration()) &&
        !IsLoginRequired(result.status())) {
      *answer = cached_;
    } else {
      if (IsLoginRequired(result.status())) cached_ = nullptr;
      *answer = std::move(result);
    }
  }
  return TakeWaitersLocked();
}

bool CredentialSlot::BeginLogin() {
  absl::MutexLock lock(&mu_);
  if (login_running_) return false;
  login_running_ = true;
  return true;
}

void CredentialSlot::EndLogin() {
  absl::MutexLock lock(&mu_);
  login_running_ = false;
}

void CredentialSlot::Install(
    std::shared_ptr<const RenderedCredential> credential,
    std::optional<absl::Time> obtained) {
  absl::MutexLock lock(&mu_);
  if (!obtained_at_.has_value()) obtained_at_ = obtained;
  cached_ = std::move(credential);
  last_error_ = absl::OkStatus();
  ++epoch_;
}

void CredentialSlot::Forget(absl::Status why) {
  absl::MutexLock lock(&mu_);
  cached_ = nullptr;
  last_error_ = std::move(why);
  ++epoch_;
}

CredentialSnapshot CredentialSlot::Snapshot(
    absl::Time now, absl::Duration fetch_deadline) const {
  CredentialSnapshot snapshot;
  snapshot.name = config_.name;
  snapshot.provider = config_.provider;
  snapshot.has_login = has_login_;
  if (!load_error_.ok()) {
    snapshot.state = CredentialState::kError;
    snapshot.last_error = std::string(load_error_.message());
    return snapshot;
  }
  absl::MutexLock lock(&mu_);
  if (cached_ != nullptr && cached_->ValidFor(now, absl::ZeroDuration())) {
    snapshot.cached = true;
    snapshot.expires_at = cached_->expires_at;
  }
  if (fetching_ && now - fetch_started_ > fetch_deadline && !snapshot.cached) {
    snapshot.state = CredentialState::kError;
    snapshot.last_error = absl::StrCat(
        "provider \"", config_.provider, "\" has not answered for ",
        absl::FormatDuration(
            absl::Trunc(now - fetch_started_, absl::Seconds(1))));
    return snapshot;
  }
  if (!last_error_.ok()) {
    snapshot.last_error = std::string(last_error_.message());
    snapshot.state = IsLoginRequired(last_error_)
                         ? CredentialState::kLoginRequired
                     : snapshot.cached ? CredentialState::kReady
                                       : CredentialState::kError;
  }
  return snapshot;
}

std::shared_ptr<const RenderedCredential> CredentialSlot::Current(
    absl::Time now, absl::Status* why) const {
  if (!load_error_.ok()) {
    *why = load_error_;
    return nullptr;
  }
  absl::MutexLock lock(&mu_);
  if (cached_ != nullptr && cached_->ValidFor(now, absl::ZeroDuration())) {
    *why = absl::OkStatus();
    return cached_;
  }
  *why = last_error_;
  return nullptr;
}

std::vector<SecretString> CredentialSlot::HeldValues() const {
  absl::MutexLock lock(&mu_);
  if (cached_ == nullptr) return {};
  return cached_->secret_values;
}

}  // namespace mcpcred

namespace mcpcred {

std::optional<absl::Time> CredentialSlot::obtained_at() const {
  absl::MutexLock lock(&mu_);
  return obtained_at_;
}

}  // namespace mcpcred

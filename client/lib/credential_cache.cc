#include "mcpcred/credential_cache.h"

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {
namespace {

// A held credential whose values are wiped when its last user lets it go.
std::shared_ptr<const v1::Credential> Held(v1::Credential credential) {
  return std::shared_ptr<const v1::Credential>(
      new v1::Credential(std::move(credential)), [](v1::Credential* held) {
        for (auto& [key, value] : *held->mutable_env()) WipeString(&value);
        for (auto& [name, value] : *held->mutable_headers()) {
          WipeString(&value);
        }
        WipeString(held->mutable_token());
        delete held;
      });
}

absl::Time ExpiryOf(const v1::Credential& credential) {
  if (!credential.has_expires_at()) return absl::InfiniteFuture();
  return absl::FromUnixSeconds(credential.expires_at().seconds()) +
         absl::Nanoseconds(credential.expires_at().nanos());
}

}  // namespace

absl::StatusOr<std::unique_ptr<CredentialCache>> CredentialCache::Create(
    CredentialCacheOptions options) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Create(options.client);
  if (!client.ok()) return client.status();
  return std::unique_ptr<CredentialCache>(
      new CredentialCache(*std::move(client), std::move(options)));
}

CredentialCache::CredentialCache(std::unique_ptr<Client> client,
                                 CredentialCacheOptions options)
    : client_(std::move(client)),
      options_(std::move(options)),
      thread_([this] { Run(); }) {}

CredentialCache::~CredentialCache() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  canceller_.Cancel();
  thread_.join();
}

void CredentialCache::Run() {
  absl::BitGen random;
  absl::Duration backoff = absl::FromChrono(options_.min_backoff);
  const absl::Duration max_backoff = absl::FromChrono(options_.max_backoff);
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      ++connections_;
    }
    (void)client_->Watch(
        options_.names,
        [this](const v1::CredentialEvent& event) { Apply(event); },
        &canceller_);
    absl::MutexLock lock(&mu_);
    // A stream that got as far as its snapshot was healthy: start over.
    if (synced_) backoff = absl::FromChrono(options_.min_backoff);
    synced_ = false;
    const absl::Duration wait = backoff * absl::Uniform(random, 1.0, 1.5);
    backoff = std::min(backoff * 2, max_backoff);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), wait);
    if (stopping_) return;
  }
}

void CredentialCache::Apply(const v1::CredentialEvent& event) {
  absl::MutexLock lock(&mu_);
  ++events_;
  if (event.kind() == v1::CredentialEvent::SYNCED) {
    synced_ = true;
    return;
  }
  Entry& entry = entries_[event.name()];
  if (event.has_credential()) {
    entry.expires = ExpiryOf(event.credential());
    entry.credential = Held(event.credential());
    entry.error = absl::OkStatus();
    return;
  }
  entry.credential = nullptr;
  entry.expires = absl::InfiniteFuture();
  entry.error =
      event.error_code() == 0
          ? absl::OkStatus()
          : absl::Status(static_cast<absl::StatusCode>(event.error_code()),
                         event.error_message());
}

std::shared_ptr<const v1::Credential> CredentialCache::Keep(
    v1::Credential credential) {
  std::shared_ptr<const v1::Credential> fresh = Held(std::move(credential));
  absl::MutexLock lock(&mu_);
  Entry& entry = entries_[fresh->name()];
  // The stream may have brought a newer value meanwhile; versions start
  // over when the agent restarts, so only a live stream's value wins.
  if (!synced_ || entry.credential == nullptr ||
      entry.credential->version() < fresh->version() ||
      entry.expires <= absl::Now()) {
    entry.credential = fresh;
    entry.expires = ExpiryOf(*fresh);
    entry.error = absl::OkStatus();
  }
  return entry.credential;
}

absl::StatusOr<std::shared_ptr<const v1::Credential>> CredentialCache::Get(
    const std::string& name) {
  std::shared_ptr<const v1::Credential> held;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(name);
    if (it != entries_.end()) {
      const Entry& entry = it->second;
      if (entry.credential != nullptr && entry.expires > absl::Now()) {
        if (synced_) return entry.credential;
        held = entry.credential;
      } else if (synced_ && !entry.error.ok()) {
        return entry.error;
      }
    }
  }
  absl::StatusOr<v1::Credential> fetched = client_->GetCredential(name);
  if (fetched.ok()) return Keep(*std::move(fetched));
  // The agent is away for a moment (a restart): a value that has not
  // expired is still good.
  if (held != nullptr && IsAgentUnreachable(fetched.status())) return held;
  return fetched.status();
}

absl::StatusOr<std::shared_ptr<const v1::Credential>> CredentialCache::Refresh(
    const std::string& name) {
  uint64_t rejected = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(name);
    if (it != entries_.end() && it->second.credential != nullptr) {
      rejected = it->second.credential->version();
    }
  }
  absl::StatusOr<v1::Credential> fresh = client_->ForceRefresh(name, rejected);
  if (!fresh.ok()) return fresh.status();
  return Keep(*std::move(fresh));
}

bool CredentialCache::synced() const {
  absl::ReaderMutexLock lock(&mu_);
  return synced_;
}

uint64_t CredentialCache::events() const {
  absl::ReaderMutexLock lock(&mu_);
  return events_;
}

uint64_t CredentialCache::connections() const {
  absl::ReaderMutexLock lock(&mu_);
  return connections_;
}

bool CredentialCache::WaitSynced(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&synced_), timeout);
}

}  // namespace mcpcred

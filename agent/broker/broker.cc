#include "agent/broker/broker.h"

#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcpcred {

Broker::Broker(ThreadPool* pool, const Clock* clock)
    : pool_(pool), clock_(clock), slots_(std::make_shared<SlotMap>()) {}

void Broker::SetCredentials(std::vector<std::shared_ptr<CredentialSlot>> list) {
  auto map = std::make_shared<SlotMap>();
  for (auto& slot : list) {
    std::string name = slot->name();
    map->emplace(std::move(name), std::move(slot));
  }
  absl::MutexLock lock(&mu_);
  slots_ = std::move(map);
}

std::shared_ptr<const Broker::SlotMap> Broker::slots() const {
  absl::MutexLock lock(&mu_);
  return slots_;
}

void Broker::Get(const std::string& name, absl::Duration min_ttl,
                 CredentialCallback done) {
  std::shared_ptr<const SlotMap> map = slots();
  auto it = map->find(name);
  if (it == map->end()) {
    done(absl::NotFoundError(absl::StrCat("no credential named \"", name,
                                          "\": see 'mcpcred list'")));
    return;
  }
  std::shared_ptr<CredentialSlot> slot = it->second;
  if (!slot->load_error().ok()) {
    done(absl::FailedPreconditionError(slot->load_error().message()));
    return;
  }
  bool start_fetch = false;
  std::shared_ptr<const RenderedCredential> hit =
      slot->LookupOrQueue(clock_->Now(), min_ttl, done, &start_fetch);
  if (hit != nullptr) {
    done(std::move(hit));
    return;
  }
  if (start_fetch) {
    pool_->Schedule([this, slot = std::move(slot)]() mutable {
      RunFetch(std::move(slot));
    });
  }
}

void Broker::RunFetch(std::shared_ptr<CredentialSlot> slot) {
  CredentialResult result = [&]() -> CredentialResult {
    absl::StatusOr<FetchedToken> token = slot->provider()->Fetch();
    if (!token.ok()) return token.status();
    absl::StatusOr<RenderedCredential> rendered =
        RenderCredential(slot->config(), *std::move(token));
    if (!rendered.ok()) return rendered.status();
    return std::make_shared<const RenderedCredential>(*std::move(rendered));
  }();
  CredentialResult answer = absl::UnknownError("unset");
  std::vector<CredentialCallback> waiters =
      slot->Complete(clock_->Now(), std::move(result), &answer);
  for (CredentialCallback& waiter : waiters) waiter(answer);
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

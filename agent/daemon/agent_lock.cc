// The agent's lock (`mcpcred lock` / `mcpcred unlock`, like ssh-add -x/-X)
// and the end of credentials' lifetimes: both replace slots so that the
// provider instances, with whatever they hold in memory, and the cached
// tokens go.
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/broker/slot_factory.h"
#include "agent/daemon/agent.h"
#include "agent/util/log.h"

namespace mcpcred {
namespace {

// How long a wrong unlock passphrase waits before its answer. Attempts are
// taken one at a time, so this bounds guessing to about one a second.
constexpr absl::Duration kWrongPassphraseDelay = absl::Seconds(1);

absl::Status LockedError() {
  return absl::FailedPreconditionError("agent is locked: run 'mcpcred unlock'");
}

}  // namespace

absl::Status Agent::CheckUnlocked() {
  return locked_.load() ? LockedError() : absl::OkStatus();
}

std::vector<std::shared_ptr<CredentialSlot>> Agent::BuildSlotsLocked(
    const config::AgentConfig& config, std::vector<std::string>* errors,
    bool prefetch) {
  if (!lock_.has_value()) {
    return BuildSlots(config, *plugins_, store_.get(), SystemClock::Get(),
                      errors, &redaction_, prefetch);
  }
  // No provider instance: creating one may resolve secrets (an OAuth client
  // secret), which a locked agent must not hold.
  std::vector<std::shared_ptr<CredentialSlot>> slots;
  for (const config::CredentialConfig& credential : config.credentials) {
    std::shared_ptr<const PluginLibrary> library =
        plugins_->Find(credential.provider);
    slots.push_back(std::make_shared<CredentialSlot>(
        credential, nullptr, LockedError(),
        library != nullptr && library->has_login()));
  }
  return slots;
}

void Agent::RebuildLocked(const std::set<std::string>& names, bool prefetch) {
  config::AgentConfig affected;
  affected.path = settings_.config_path;
  for (const std::shared_ptr<CredentialSlot>& slot : current_slots_) {
    if (names.count(slot->name()) != 0) {
      affected.credentials.push_back(slot->config());
    }
  }
  if (affected.credentials.empty()) return;
  std::vector<std::string> errors;
  std::vector<std::shared_ptr<CredentialSlot>> fresh =
      BuildSlotsLocked(affected, &errors, prefetch);
  // A locked agent reports this once, at unlock.
  if (!lock_.has_value()) {
    for (const std::string& error : errors) LogWarning(error);
  }
  for (std::shared_ptr<CredentialSlot>& slot : current_slots_) {
    for (std::shared_ptr<CredentialSlot>& replacement : fresh) {
      if (replacement != nullptr && replacement->name() == slot->name()) {
        slot = std::move(replacement);
      }
    }
  }
  // Other credentials keep their slots, and with them their cached tokens.
  broker_->SetCredentials(current_slots_, nullptr, names);
}

void Agent::Forget(const std::vector<std::string>& names) {
  absl::MutexLock lock(&reload_mu_);
  if (lock_.has_value()) return;  // nothing is held
  RebuildLocked({names.begin(), names.end()}, /*prefetch=*/false);
  LogInfo("lifetime over for ", absl::StrJoin(names, ", "),
          ": forgot the cached token and provider state (the next request "
          "obtains them again)");
}

absl::Status Agent::Lock(const std::string& passphrase) {
  absl::StatusOr<PassphraseHash> hash = PassphraseHash::Create(passphrase);
  if (!hash.ok()) return hash.status();
  absl::MutexLock lock(&reload_mu_);
  if (lock_.has_value()) {
    return absl::FailedPreconditionError("agent is locked already");
  }
  lock_ = *std::move(hash);
  locked_.store(true);
  // Nothing handed out or masked from here on; then every slot becomes a
  // placeholder, and the old provider instances go with the last fetch
  // that still runs on them.
  redaction_.Lock();
  std::set<std::string> all;
  for (const std::shared_ptr<CredentialSlot>& slot : current_slots_) {
    all.insert(slot->name());
  }
  RebuildLocked(all, /*prefetch=*/false);
  store_->ForgetKeys();
  LogInfo("locked: ", all.size(),
          " credentials forgotten until 'mcpcred unlock'");
  return absl::OkStatus();
}

absl::Status Agent::Unlock(const std::string& passphrase) {
  // Guesses wait for each other, the delay included.
  absl::MutexLock attempt(&unlock_mu_);
  std::optional<PassphraseHash> hash;
  {
    absl::MutexLock lock(&reload_mu_);
    hash = lock_;
  }
  if (!hash.has_value()) {
    return absl::FailedPreconditionError("agent is not locked");
  }
  // The slow hash runs outside reload_mu_: reloads go on meanwhile. Only
  // Unlock clears lock_, and unlock_mu_ keeps this the only one running.
  if (!hash->Matches(passphrase)) {
    LogWarning("unlock refused: wrong passphrase");
    absl::SleepFor(kWrongPassphraseDelay);
    return absl::PermissionDeniedError(
        "wrong passphrase: the agent stays locked");
  }
  absl::MutexLock lock(&reload_mu_);
  lock_.reset();
  redaction_.Unlock();
  std::set<std::string> all;
  for (const std::shared_ptr<CredentialSlot>& slot : current_slots_) {
    all.insert(slot->name());
  }
  RebuildLocked(all, /*prefetch=*/true);
  locked_.store(false);
  LogInfo("unlocked");
  return absl::OkStatus();
}

}  // namespace mcpcred

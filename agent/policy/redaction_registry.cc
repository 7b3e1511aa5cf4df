#include "agent/policy/redaction_registry.h"

#include <algorithm>

#include "agent/util/log.h"
#include "mcpcred/common/stream_redactor.h"

namespace mcpcred {

RedactionRegistry::~RedactionRegistry() = default;  // values wipe themselves

void RedactionRegistry::Add(const std::string& credential,
                            const std::vector<SecretString>& values,
                            std::optional<absl::Time> expires, bool pinned) {
  const absl::Time until = expires.value_or(absl::InfiniteFuture());
  absl::MutexLock lock(&mu_);
  if (locked_) return;
  for (const SecretString& value : values) {
    if (value.empty()) continue;
    auto same = std::find_if(held_.begin(), held_.end(), [&](const Held& h) {
      return h.credential == credential && h.value == value;
    });
    if (same != held_.end()) {
      same->expires = std::max(same->expires, until);
      same->pinned |= pinned;
      continue;
    }
    held_.push_back({credential, value, until, pinned});
    dirty_ = true;
    if (value.size() < kMinRedactLength &&
        std::find(warned_short_.begin(), warned_short_.end(), credential) ==
            warned_short_.end()) {
      warned_short_.push_back(credential);
      LogWarning("credential \"", credential, "\" has a value shorter than ",
                 kMinRedactLength,
                 " bytes: it is handed out but not masked in free text");
    }
  }
  // Bound the lasting values per credential: the oldest go first.
  size_t lasting = 0;
  for (auto it = held_.rbegin(); it != held_.rend(); ++it) {
    if (it->credential != credential || it->pinned ||
        it->expires != absl::InfiniteFuture())
      continue;
    if (++lasting > kMaxLastingPerCredential) {
      it->value.clear();
      dirty_ = true;
    }
  }
  std::erase_if(held_, [](const Held& h) { return h.value.empty(); });
}

bool RedactionRegistry::PruneLocked(absl::Time now) {
  bool pruned = false;
  for (Held& held : held_) {
    if (held.expires <= now) {
      held.value.clear();
      pruned = true;
    }
  }
  if (pruned) {
    std::erase_if(held_, [](const Held& h) { return h.value.empty(); });
  }
  return pruned;
}

std::string RedactionRegistry::ScrubMessage(const std::string& message) {
  std::shared_ptr<const RedactionSet> set = Current();
  RedactResult plain = Redact(message, *set);
  if (message.find_first_of("\r\n") == std::string::npos) return plain.text;
  // A value broken across lines (wrapped base64, a folded header) is found
  // once the breaks are gone; then the joined text is what goes out.
  SecretString joined;
  joined.reserve(message.size());
  for (char c : message) {
    if (c != '\r' && c != '\n') joined += c;
  }
  RedactResult unbroken = Redact(joined.view(), *set);
  return unbroken.replacements > plain.replacements ? unbroken.text
                                                    : plain.text;
}

void RedactionRegistry::Lock() {
  absl::MutexLock lock(&mu_);
  locked_ = true;
  held_.clear();  // each value is a SecretString: wiped as it goes
  // The compiled set holds the values too: replaced, and the old one goes
  // with its last reader.
  set_ = nullptr;
  dirty_ = true;
}

void RedactionRegistry::Unlock() {
  absl::MutexLock lock(&mu_);
  locked_ = false;
}

std::vector<SecretValue> RedactionRegistry::Values() {
  absl::MutexLock lock(&mu_);
  if (PruneLocked(clock_->Now())) dirty_ = true;
  std::vector<SecretValue> values;
  values.reserve(held_.size());
  for (const Held& held : held_)
    values.push_back({held.value, held.credential});
  return values;
}

std::shared_ptr<const RedactionSet> RedactionRegistry::Current() {
  absl::MutexLock lock(&mu_);
  if (PruneLocked(clock_->Now())) dirty_ = true;
  if (dirty_ || set_ == nullptr) {
    // Borrowed views: rebuilding copies no value.
    std::vector<SecretValueRef> values;
    values.reserve(held_.size());
    for (const Held& held : held_) {
      values.push_back({held.value.view(), held.credential});
    }
    set_ = RedactionSet::BuildBorrowed(values, RedactionSet::Options());
    dirty_ = false;
  }
  return set_;
}

}  // namespace mcpcred

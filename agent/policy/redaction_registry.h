// Every secret value the agent has handed out, kept until it expires, and the
// RedactionSet built from them: a token served before a refresh or a reload
// is still in some host's context and must still be masked.
#ifndef MCPCRED_AGENT_POLICY_REDACTION_REGISTRY_H_
#define MCPCRED_AGENT_POLICY_REDACTION_REGISTRY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/util/clock.h"
#include "mcpcred/common/redaction_set.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {

// Thread-safe.
class RedactionRegistry {
 public:
  // Values that never expire are kept too, this many per credential (the
  // newest); expiring ones until they expire.
  static constexpr size_t kMaxLastingPerCredential = 16;

  // `clock` must outlive the registry.
  explicit RedactionRegistry(const Clock* clock) : clock_(clock) {}
  ~RedactionRegistry();

  // Records the values of `credential` handed out now, valid until `expires`
  // (nullopt: never). A `pinned` value (a configured secret, such as an OAuth
  // client secret) is kept for the agent's life; other lasting values (e.g.
  // rotating refresh tokens) are bounded per credential.
  void Add(const std::string& credential,
           const std::vector<SecretString>& values,
           std::optional<absl::Time> expires, bool pinned = false);
  // The set to redact with now. Rebuilt only when values were added or have
  // expired since the last call; otherwise the same shared set.
  std::shared_ptr<const RedactionSet> Current();
  // `message` (from a plugin: an error, a log line) with every held value
  // masked in every encoded form, also where a line break splits a value.
  std::string ScrubMessage(const std::string& message);
  // The values themselves (not expired), with their credentials: copies, in
  // secret memory.
  std::vector<SecretValue> Values();

  // The agent is being locked: wipes every value, pinned ones included (no
  // hash is kept either: a hash of a token is as good as the token to anyone
  // who can guess it, and nothing can be masked with it), and ignores Add()
  // until Unlock(). Current() is then an empty set: the service refuses to
  // redact while locked rather than pass values through unmasked.
  void Lock();
  void Unlock();

 private:
  struct Held {
    std::string credential;
    SecretString value;   // wiped when dropped
    absl::Time expires;   // InfiniteFuture(): never
    bool pinned = false;  // never evicted by the per-credential bound
  };
  // Drops expired values and wipes them. Returns whether any went.
  bool PruneLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock* const clock_;
  absl::Mutex mu_;
  std::vector<Held> held_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const RedactionSet> set_ ABSL_GUARDED_BY(mu_);
  bool dirty_ ABSL_GUARDED_BY(mu_) = true;
  bool locked_ ABSL_GUARDED_BY(mu_) = false;
  // Credentials already warned about for a value too short to mask.
  std::vector<std::string> warned_short_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_REDACTION_REGISTRY_H_

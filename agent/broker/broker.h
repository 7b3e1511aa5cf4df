// The credential broker: hands out credentials from a per-credential cache,
// fetching through the provider on a miss.
//
// A request that finds a cached credential valid for its minimum lifetime is
// answered at once, on the caller's thread, without waiting on any lock held
// during a fetch. A miss queues the request behind the one in-flight fetch for
// that credential (single-flight); fetches run on the thread pool, and no
// credential waits on another's.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_BROKER_BROKER_H_
#define MCPCRED_AGENT_BROKER_BROKER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/credential_slot.h"
#include "agent/policy/redactor.h"
#include "agent/util/clock.h"
#include "agent/util/thread_pool.h"

namespace mcpcred {

struct SecretKeyNames {
  std::vector<std::string> env_keys;      // sorted, unique
  std::vector<std::string> header_names;  // sorted, unique
};

class Broker {
 public:
  // `pool` and `clock` must outlive the broker.
  Broker(ThreadPool* pool, const Clock* clock);

  // Replaces the whole set (on load and reload). Fetches in flight on the old
  // set finish and answer their callers; later requests see the new set.
  void SetCredentials(std::vector<std::shared_ptr<CredentialSlot>> slots);

  // Answers `done` exactly once, possibly before returning. Errors:
  //   NOT_FOUND            no credential has that name;
  //   FAILED_PRECONDITION  the credential failed to load (the reason), or
  //                        needs a login, or a secret it names is missing;
  //   UNAVAILABLE          its upstream is down and no valid token is cached;
  //   others as the provider reports them.
  void Get(const std::string& name, absl::Duration min_ttl,
           CredentialCallback done);

  std::vector<CredentialSnapshot> Snapshot() const;
  // The values of every cached credential, for redaction.
  std::vector<SecretValue> HeldSecrets() const;
  // Every env key and header name any credential fills.
  SecretKeyNames SecretKeys() const;

 private:
  using SlotMap = std::map<std::string, std::shared_ptr<CredentialSlot>>;

  std::shared_ptr<const SlotMap> slots() const;
  void RunFetch(std::shared_ptr<CredentialSlot> slot);

  ThreadPool* const pool_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const SlotMap> slots_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_BROKER_H_

// Fans the broker's credential changes out to the open Watch streams, and
// ends them all when the agent stops (a stream never ends by itself).
#ifndef MCPCRED_AGENT_SERVICE_WATCH_HUB_H_
#define MCPCRED_AGENT_SERVICE_WATCH_HUB_H_

#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/broker.h"
#include "agent/broker/credential_observer.h"

namespace mcpcred {

class WatchReactor;

// Thread-safe.
class WatchHub final : public CredentialObserver {
 public:
  // Observes `broker`, which must outlive the hub.
  explicit WatchHub(Broker* broker);
  ~WatchHub() override;

  // Returns false (and does not add it) once Close() has run.
  bool Add(WatchReactor* watch);
  // After it returns, `watch` is not called again.
  void Remove(WatchReactor* watch);
  // Ends every stream with UNAVAILABLE, refuses new ones and stops observing
  // the broker. Idempotent; the destructor calls it, but the agent calls it
  // first, before it destroys the broker.
  void Close();

  void OnCredentialChanged(const std::string& name,
                           CredentialChange change) override;

 private:
  Broker* const broker_;
  absl::Mutex mu_;
  std::set<WatchReactor*> watches_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_WATCH_HUB_H_

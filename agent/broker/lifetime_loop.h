// The thread that ends credentials' lifetimes (`lifetime = "8h"`,
// `mcpcred-agent -t`): it sleeps until the broker says the next one may be
// due (Broker::Outlived), or until woken after a reload, and hands the
// credentials whose lifetime has passed to `forget`. Without any lifetime
// configured it sleeps until woken.
#ifndef MCPCRED_AGENT_BROKER_LIFETIME_LOOP_H_
#define MCPCRED_AGENT_BROKER_LIFETIME_LOOP_H_

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/broker.h"

namespace mcpcred {

// Thread-safe: Wake() from any thread; construct and destroy from one.
class LifetimeLoop {
 public:
  using Forget = std::function<void(const std::vector<std::string>& names)>;
  // Starts the thread. `broker` must outlive the loop; `forget` runs on the
  // loop's thread.
  LifetimeLoop(Broker* broker, Forget forget);
  // Stops and joins the thread.
  ~LifetimeLoop();

  // Looks again now: the set of credentials or their lifetimes changed.
  void Wake();

 private:
  void Run();

  Broker* const broker_;
  const Forget forget_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_LIFETIME_LOOP_H_

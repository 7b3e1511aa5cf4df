// The thread that drives a broker's proactive refreshes: it sleeps until the
// next refresh is due, or until the broker queues an earlier one (tokens that
// live less than a second must not wait for a fixed tick), and starts the due
// ones. `max_sleep` bounds each sleep all the same, and is how often fetches
// past their deadline are looked for (Broker::ExpireHungFetches).
#ifndef MCPCRED_AGENT_BROKER_REFRESH_LOOP_H_
#define MCPCRED_AGENT_BROKER_REFRESH_LOOP_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/broker.h"

namespace mcpcred {

// Thread-compatible: construct and destroy from one thread.
class RefreshLoop {
 public:
  // Starts the thread. `broker` must outlive the loop.
  explicit RefreshLoop(Broker* broker,
                       absl::Duration max_sleep = absl::Seconds(1));
  // Stops and joins the thread.
  ~RefreshLoop();

 private:
  void Run();

  Broker* const broker_;
  const absl::Duration max_sleep_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_REFRESH_LOOP_H_

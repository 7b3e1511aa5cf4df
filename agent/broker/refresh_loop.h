// The thread that drives a broker's proactive refreshes: it sleeps until the
// next refresh is due, or until the broker queues an earlier one (tokens that
// live less than a second must not wait for a fixed tick), and starts the due
// ones. `max_sleep` bounds each sleep all the same, and is how often fetches
// past their deadline are looked for (Broker::ExpireHungFetches).
#ifndef MCPCRED_AGENT_BROKER_REFRESH_LOOP_H_
#define MCPCRED_AGENT_BROKER_REFRESH_LOOP_H_

#include "agent/broker/broker.h"
#include "agent/util/wakeable_loop.h"

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
  absl::Duration Step();

  Broker* const broker_;
  const absl::Duration max_sleep_;
  WakeableLoop loop_;  // last: its thread uses the members above
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_REFRESH_LOOP_H_

// The thread that ends credentials' lifetimes (`lifetime = "8h"`,
// `mcpcred-agent -t`): it sleeps until the broker says the next one may be
// due (Broker::Outlived), or until woken after a reload, and hands the
// credentials whose lifetime has passed to `forget`. Without any lifetime
// configured it sleeps until woken.
#ifndef MCPCRED_AGENT_BROKER_LIFETIME_LOOP_H_
#define MCPCRED_AGENT_BROKER_LIFETIME_LOOP_H_

#include <functional>
#include <string>
#include <vector>

#include "agent/broker/broker.h"
#include "agent/util/wakeable_loop.h"

namespace mcpcred {

// Thread-safe: Wake() from any thread; construct and destroy from one.
class LifetimeLoop {
 public:
  using Forget = std::function<void(const std::vector<std::string>& names)>;
  // Starts the thread. `broker` must outlive the loop; `forget` runs on the
  // loop's thread.
  LifetimeLoop(Broker* broker, Forget forget);

  // Looks again now: the set of credentials or their lifetimes changed.
  void Wake() { loop_.Wake(); }

 private:
  absl::Duration Step();

  Broker* const broker_;
  const Forget forget_;
  WakeableLoop loop_;  // last: its thread uses the members above
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_LIFETIME_LOOP_H_

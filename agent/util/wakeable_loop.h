// A thread that does one step of work again and again, sleeping in between
// for as long as the step says, or until woken: what the refresh and the
// lifetime loops share.
#ifndef MCPCRED_AGENT_UTIL_WAKEABLE_LOOP_H_
#define MCPCRED_AGENT_UTIL_WAKEABLE_LOOP_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace mcpcred {

// Thread-safe: Wake() from any thread (it only signals, so it may be called
// with other locks held); construct and destroy from one.
class WakeableLoop {
 public:
  // Starts the thread, which runs `step` at once and then whenever the
  // duration `step` returned has passed (InfiniteDuration(): never) or
  // Wake() was called, whichever comes first. A Wake() during a step makes
  // the next step start at once.
  explicit WakeableLoop(std::function<absl::Duration()> step);
  // Stops and joins the thread (after the step running, if any).
  ~WakeableLoop();

  void Wake();

 private:
  void Run();

  const std::function<absl::Duration()> step_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_WAKEABLE_LOOP_H_

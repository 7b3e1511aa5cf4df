// Bounds blocking calls that have no timeout of their own: a thread that runs
// a callback (e.g. g_cancellable_cancel) when the call in progress passes
// its deadline. libsecret's sync calls otherwise wait out D-Bus's 25-second
// default on a hung keyring, holding a worker thread all that time.
//
// The thread starts on the first Arm(), not in the constructor: the agent
// may fork after creating its store, and a fork loses threads.
//
// Thread-safe; one call is watched at a time.
#ifndef MCPCRED_AGENT_STORE_CALL_WATCHDOG_H_
#define MCPCRED_AGENT_STORE_CALL_WATCHDOG_H_

#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace mcpcred {

class CallWatchdog {
 public:
  CallWatchdog() = default;
  // Stops and joins the thread.
  ~CallWatchdog();
  CallWatchdog(const CallWatchdog&) = delete;
  CallWatchdog& operator=(const CallWatchdog&) = delete;

  // Runs `on_expire` on the watchdog thread at `deadline` unless Disarm()
  // comes first. Replaces any earlier arming.
  void Arm(absl::Time deadline, std::function<void()> on_expire);
  // Once this returns, `on_expire` is neither running nor going to run.
  // Returns true if it ran.
  bool Disarm();

 private:
  void Loop();

  absl::Mutex mu_;
  std::thread thread_;  // started by the first Arm()
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool armed_ ABSL_GUARDED_BY(mu_) = false;
  bool firing_ ABSL_GUARDED_BY(mu_) = false;
  bool fired_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time deadline_ ABSL_GUARDED_BY(mu_);
  std::function<void()> on_expire_ ABSL_GUARDED_BY(mu_);
};

// Arms `watchdog` for the lifetime of the scope.
class WatchedCall {
 public:
  WatchedCall(CallWatchdog* watchdog, absl::Duration limit,
              std::function<void()> on_expire)
      : watchdog_(watchdog) {
    watchdog_->Arm(absl::Now() + limit, std::move(on_expire));
  }
  ~WatchedCall() { watchdog_->Disarm(); }
  WatchedCall(const WatchedCall&) = delete;
  WatchedCall& operator=(const WatchedCall&) = delete;

 private:
  CallWatchdog* const watchdog_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_CALL_WATCHDOG_H_

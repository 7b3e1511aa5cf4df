#include "agent/store/call_watchdog.h"

#include <utility>

#include "absl/time/clock.h"

namespace mcpcred {

CallWatchdog::~CallWatchdog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void CallWatchdog::Arm(absl::Time deadline, std::function<void()> on_expire) {
  absl::MutexLock lock(&mu_);
  // A callback still running belongs to the previous arming; wait it out so
  // the two never overlap.
  mu_.Await(absl::Condition(
      +[](bool* firing) { return !*firing; }, &firing_));
  armed_ = true;
  fired_ = false;
  ++generation_;
  deadline_ = deadline;
  on_expire_ = std::move(on_expire);
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
}

bool CallWatchdog::Disarm() {
  absl::MutexLock lock(&mu_);
  armed_ = false;
  ++generation_;
  on_expire_ = nullptr;
  mu_.Await(absl::Condition(
      +[](bool* firing) { return !*firing; }, &firing_));
  return fired_;
}

void CallWatchdog::Loop() {
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(
        +[](CallWatchdog* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return self->armed_ || self->stopping_;
        },
        this));
    if (stopping_) return;
    const uint64_t generation = generation_;
    auto changed = [this, generation]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return stopping_ || generation_ != generation;
    };
    mu_.AwaitWithDeadline(absl::Condition(&changed), deadline_);
    if (stopping_) return;
    if (generation_ != generation || !armed_) continue;
    // The deadline passed with the call still in progress.
    std::function<void()> on_expire = std::move(on_expire_);
    armed_ = false;
    firing_ = true;
    mu_.Unlock();
    if (on_expire) on_expire();
    mu_.Lock();
    firing_ = false;
    fired_ = true;
  }
}

}  // namespace mcpcred

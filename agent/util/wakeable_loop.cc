#include "agent/util/wakeable_loop.h"

#include <utility>

namespace mcpcred {

WakeableLoop::WakeableLoop(std::function<absl::Duration()> step)
    : step_(std::move(step)), thread_([this] { Run(); }) {}

WakeableLoop::~WakeableLoop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void WakeableLoop::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void WakeableLoop::Run() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    woken_ = false;
    mu_.Unlock();
    const absl::Duration wait = step_();
    mu_.Lock();
    auto stop_or_wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || woken_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stop_or_wake), wait);
  }
}

}  // namespace mcpcred

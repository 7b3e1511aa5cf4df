#include "agent/broker/lifetime_loop.h"

#include <utility>

namespace mcpcred {

LifetimeLoop::LifetimeLoop(Broker* broker, Forget forget)
    : broker_(broker), forget_(std::move(forget)), thread_([this] { Run(); }) {}

LifetimeLoop::~LifetimeLoop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void LifetimeLoop::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void LifetimeLoop::Run() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    woken_ = false;
    mu_.Unlock();
    absl::Time next;
    std::vector<std::string> outlived = broker_->Outlived(&next);
    if (!outlived.empty()) forget_(outlived);
    // The broker's clock, which tests replace; the sleep itself is real.
    const absl::Duration wait =
        next == absl::InfiniteFuture()
            ? absl::InfiniteDuration()
            : std::max(next - broker_->clock()->Now(), absl::Milliseconds(10));
    mu_.Lock();
    auto stop_or_wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || woken_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stop_or_wake), wait);
  }
}

}  // namespace mcpcred

#include "agent/broker/refresh_loop.h"

#include <algorithm>

namespace mcpcred {

RefreshLoop::RefreshLoop(Broker* broker, absl::Duration max_sleep)
    : broker_(broker), max_sleep_(max_sleep), thread_([this] { Run(); }) {
  broker_->SetRefreshWakeup([this] {
    absl::MutexLock lock(&mu_);
    woken_ = true;
  });
}

RefreshLoop::~RefreshLoop() {
  broker_->SetRefreshWakeup(nullptr);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void RefreshLoop::Run() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    woken_ = false;
    mu_.Unlock();
    broker_->RunDueRefreshes();
    broker_->ExpireHungFetches();
    // The broker's clock, which tests replace; the sleep itself is real.
    absl::Duration wait =
        std::clamp(broker_->NextRefreshTime() - broker_->clock()->Now(),
                   absl::Milliseconds(10), max_sleep_);
    mu_.Lock();
    auto stop_or_wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || woken_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stop_or_wake), wait);
  }
}

}  // namespace mcpcred

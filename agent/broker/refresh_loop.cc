#include "agent/broker/refresh_loop.h"

#include <algorithm>

namespace mcpcred {

RefreshLoop::RefreshLoop(Broker* broker, absl::Duration max_sleep)
    : broker_(broker), max_sleep_(max_sleep), thread_([this] { Run(); }) {}

RefreshLoop::~RefreshLoop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void RefreshLoop::Run() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.Unlock();
    broker_->RunDueRefreshes();
    absl::Duration wait = std::clamp(broker_->NextRefreshTime() - absl::Now(),
                                     absl::Milliseconds(10), max_sleep_);
    mu_.Lock();
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), wait);
  }
}

}  // namespace mcpcred

#include "agent/broker/refresh_loop.h"

#include <algorithm>

namespace mcpcred {

RefreshLoop::RefreshLoop(Broker* broker, absl::Duration max_sleep)
    : broker_(broker), max_sleep_(max_sleep), loop_([this] { return Step(); }) {
  broker_->SetRefreshWakeup([this] { loop_.Wake(); });
}

RefreshLoop::~RefreshLoop() { broker_->SetRefreshWakeup(nullptr); }

absl::Duration RefreshLoop::Step() {
  broker_->RunDueRefreshes();
  broker_->ExpireHungFetches();
  // The broker's clock, which tests replace; the sleep itself is real.
  return std::clamp(broker_->NextRefreshTime() - broker_->clock()->Now(),
                    absl::Milliseconds(10), max_sleep_);
}

}  // namespace mcpcred

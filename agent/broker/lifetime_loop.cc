#include "agent/broker/lifetime_loop.h"

#include <algorithm>
#include <utility>

namespace mcpcred {

LifetimeLoop::LifetimeLoop(Broker* broker, Forget forget)
    : broker_(broker),
      forget_(std::move(forget)),
      loop_([this] { return Step(); }) {}

absl::Duration LifetimeLoop::Step() {
  absl::Time next;
  std::vector<std::string> outlived = broker_->Outlived(&next);
  if (!outlived.empty()) forget_(outlived);
  if (next == absl::InfiniteFuture()) return absl::InfiniteDuration();
  // The broker's clock, which tests replace; the sleep itself is real.
  return std::max(next - broker_->clock()->Now(), absl::Milliseconds(10));
}

}  // namespace mcpcred

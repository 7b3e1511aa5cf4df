#include "relay/rotation_policy.h"

#include <algorithm>

namespace mcpcred::exec::relay {

absl::Time DueTime(const HeldValue& value, absl::Duration min_ttl) {
  if (value.expires == absl::InfiniteFuture()) return absl::InfiniteFuture();
  if (value.received == absl::InfinitePast() ||
      value.received >= value.expires) {
    return value.expires - min_ttl;
  }
  const absl::Time half_life =
      value.received + (value.expires - value.received) / 2;
  return std::max(value.expires - min_ttl, half_life);
}

RotationDecision DecideRotation(const std::map<std::string, HeldValue>& running,
                                const std::map<std::string, HeldValue>& latest,
                                absl::Time now, absl::Duration min_ttl) {
  RotationDecision decision;
  for (const auto& [name, held] : running) {
    if (held.expires == absl::InfiniteFuture()) continue;
    auto newest = latest.find(name);
    const bool newer = newest != latest.end() &&
                       newest->second.version > held.version &&
                       newest->second.expires > held.expires;
    // A newer value is taken as soon as the held one is within min_ttl of
    // its expiry; without one, the agent is asked at the due time.
    const absl::Time when =
        newer ? held.expires - min_ttl : DueTime(held, min_ttl);
    if (when > now) {
      decision.next = std::min(decision.next, when);
    } else if (newer) {
      decision.rotate = true;
    } else {
      decision.fetch.insert(name);
    }
  }
  return decision;
}

}  // namespace mcpcred::exec::relay

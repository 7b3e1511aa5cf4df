#include "agent/broker/refresh_policy.h"

#include <algorithm>

namespace mcpcred {

absl::Time RefreshTime(const RefreshPolicy& policy, absl::Time fetched,
                       absl::Time expires, double random01) {
  const absl::Duration lifetime = expires - fetched;
  if (lifetime <= absl::ZeroDuration()) return fetched;
  absl::Time at = fetched + lifetime / 2;
  if (expires - policy.margin > fetched) {
    at = std::min(at, expires - policy.margin);
  }
  at -= lifetime * (policy.jitter_fraction * random01);
  return std::max(at, fetched);
}

absl::Duration RetryDelay(const RefreshPolicy& policy, int attempt,
                          double random01) {
  absl::Duration delay = policy.initial_backoff;
  for (int i = 1; i < attempt && delay < policy.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, policy.max_backoff);
  return delay / 2 + (delay / 2) * random01;
}

}  // namespace mcpcred

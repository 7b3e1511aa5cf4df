// When to refresh an expiring credential ahead of time, and how to back off
// when a refresh fails.
#ifndef MCPCRED_AGENT_BROKER_REFRESH_POLICY_H_
#define MCPCRED_AGENT_BROKER_REFRESH_POLICY_H_

#include "absl/time/time.h"

namespace mcpcred {

struct RefreshPolicy {
  // Refresh no later than this long before expiry (when the lifetime allows).
  absl::Duration margin = absl::Seconds(60);
  // Up to this fraction of the lifetime is taken off the refresh time at
  // random, so many agents (or credentials) do not refresh in lockstep.
  double jitter_fraction = 0.1;
  // Retry backoff after a failed refresh: initial, doubling, capped.
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(5);
  // A provider call that has not answered after this long is hung: its
  // waiters get UNAVAILABLE (or a still-valid cached token) and new requests
  // are refused until it returns. The call itself cannot be interrupted.
  absl::Duration fetch_deadline = absl::Seconds(30);
};

// The time to refresh a credential fetched at `fetched` that expires at
// `expires`: at the half-life at the latest, and no later than `margin` before
// expiry, minus a jitter drawn from `random01` (in [0, 1)).
absl::Time RefreshTime(const RefreshPolicy& policy, absl::Time fetched,
                       absl::Time expires, double random01);

// The delay before retry number `attempt` (1-based) after failures: doubling
// from initial_backoff, capped at max_backoff, with up to 50% taken off at
// random ("equal jitter").
absl::Duration RetryDelay(const RefreshPolicy& policy, int attempt,
                          double random01);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_REFRESH_POLICY_H_

// When the relay must put its server on a newer credential: a token must
// never expire under the server. The server holds, for each credential, the
// value it was started with; the relay knows the latest value the agent has.
//
// A newer value replaces the held one as soon as the held one expires within
// `min_ttl` (for a token shorter-lived than min_ttl: as soon as the agent
// has refreshed it). Without a newer value, the held one is due at
// max(expires - min_ttl, received + lifetime / 2), when the relay asks the
// agent for a fresh one: `min_ttl` ahead of its expiry, but never before its
// half-life, so that a short-lived token does not make the relay ask
// without pause.
//
// Thread-safe: pure functions.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_ROTATION_POLICY_H_
#define MCPCRED_CLIENT_EXEC_RELAY_ROTATION_POLICY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/time/time.h"

namespace mcpcred::exec::relay {

// One value of a credential as the relay saw it.
struct HeldValue {
  uint64_t version = 0;
  absl::Time expires = absl::InfiniteFuture();  // never: InfiniteFuture
  absl::Time received = absl::InfinitePast();
};

// When `value` is due for replacement (InfiniteFuture: never).
absl::Time DueTime(const HeldValue& value, absl::Duration min_ttl);

struct RotationDecision {
  // Start the server again with the latest values.
  bool rotate = false;
  // Due, but the agent has nothing newer yet: ask it for a fresh value.
  std::set<std::string> fetch;
  // When to decide again (InfiniteFuture: only when a value changes).
  absl::Time next = absl::InfiniteFuture();
};

// `running`: what the server holds; `latest`: the newest the relay knows,
// by credential name.
RotationDecision DecideRotation(const std::map<std::string, HeldValue>& running,
                                const std::map<std::string, HeldValue>& latest,
                                absl::Time now, absl::Duration min_ttl);

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_ROTATION_POLICY_H_

// Time, behind an interface so tests control it (LevelDB's Env idea).
#ifndef MCPCRED_AGENT_UTIL_CLOCK_H_
#define MCPCRED_AGENT_UTIL_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace mcpcred {

// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance; never destroyed.
  static const Clock* Get() {
    static const SystemClock* clock = new SystemClock();
    return clock;
  }
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_CLOCK_H_

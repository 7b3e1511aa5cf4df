// Keeps a condition that can repeat thousands of times a second (accept()
// failing with EMFILE, a flood of refused connections) to one log line per
// interval, with a count of what was left out.
//
// Thread-compatible: one owner, or a lock around it.
#ifndef MCPCRED_AGENT_UTIL_LOG_THROTTLE_H_
#define MCPCRED_AGENT_UTIL_LOG_THROTTLE_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace mcpcred {

class LogThrottle {
 public:
  explicit LogThrottle(absl::Duration interval) : interval_(interval) {}

  // True if a line may be logged at `now`: the first call, and then at most
  // once per interval. A line let through should end with Suffix().
  bool Allow(absl::Time now);
  // " (N more since the last one)" for the calls Allow() refused before the
  // one that let this line through; "" if none.
  std::string Suffix() const;

 private:
  const absl::Duration interval_;
  absl::Time last_ = absl::InfinitePast();
  int64_t left_out_ = 0;  // refused since the last line let through
  int64_t reported_ = 0;  // what Suffix() says
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_LOG_THROTTLE_H_

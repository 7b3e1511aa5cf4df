#include "agent/config/lifetime.h"

#include <cstdint>
#include <string>

#include "absl/strings/numbers.h"

namespace mcpcred::config {

absl::StatusOr<absl::Duration> ParseLifetime(absl::string_view text) {
  const absl::Status bad = absl::InvalidArgumentError(
      "expected a lifetime of at least one second such as \"8h\", \"30m\", "
      "\"1h30m\" or a number of seconds");
  absl::Duration lifetime;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(text, &seconds)) {
    lifetime = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(std::string(text), &lifetime)) {
    return bad;
  }
  if (lifetime < absl::Seconds(1) || lifetime == absl::InfiniteDuration()) {
    return bad;
  }
  return lifetime;
}

}  // namespace mcpcred::config

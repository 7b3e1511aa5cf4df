#include "agent/service/request_validation.h"

#include "absl/status/status.h"

namespace mcpcred {

absl::StatusOr<absl::Duration> ValidateGetCredential(
    const v1::GetCredentialRequest& request) {
  if (request.name().empty()) {
    return absl::InvalidArgumentError("the credential name is empty");
  }
  if (request.name().size() > 256) {
    return absl::InvalidArgumentError("the credential name is too long");
  }
  absl::Duration min_ttl = absl::Seconds(request.min_ttl().seconds()) +
                           absl::Nanoseconds(request.min_ttl().nanos());
  if (min_ttl < absl::ZeroDuration() || min_ttl > absl::Hours(24)) {
    return absl::InvalidArgumentError("min_ttl must be between 0 and 24 hours");
  }
  return min_ttl;
}

}  // namespace mcpcred

#include "agent/service/request_validation.h"

#include "absl/status/status.h"

namespace mcpcred {

namespace {

// The cap of every credential name a client sends: config names are at most
// 64 bytes, so a longer one names nothing.
constexpr size_t kMaxNameBytes = 256;

absl::Status ValidateName(const std::string& name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("the credential name is empty");
  }
  if (name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError("the credential name is too long");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<absl::Duration> ValidateGetCredential(
    const v1::GetCredentialRequest& request) {
  absl::Status name = ValidateName(request.name());
  if (!name.ok()) return name;
  absl::Duration min_ttl = absl::Seconds(request.min_ttl().seconds()) +
                           absl::Nanoseconds(request.min_ttl().nanos());
  if (min_ttl < absl::ZeroDuration() || min_ttl > absl::Hours(24)) {
    return absl::InvalidArgumentError("min_ttl must be between 0 and 24 hours");
  }
  return min_ttl;
}

absl::Status ValidateWatchCredentials(
    const v1::WatchCredentialsRequest& request) {
  if (request.names_size() > 1024) {
    return absl::InvalidArgumentError("at most 1024 credentials per watch");
  }
  for (const std::string& name : request.names()) {
    absl::Status valid = ValidateName(name);
    if (!valid.ok()) return valid;
  }
  return absl::OkStatus();
}

absl::Status ValidateLogin(const v1::LoginRequest& request) {
  return ValidateName(request.name());
}

absl::Status ValidateLogout(const v1::LogoutRequest& request) {
  return ValidateName(request.name());
}

}  // namespace mcpcred

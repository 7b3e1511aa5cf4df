// Checks on what clients send, before anything acts on it: a client is
// untrusted input even when it runs as the same user.
#ifndef MCPCRED_AGENT_SERVICE_REQUEST_VALIDATION_H_
#define MCPCRED_AGENT_SERVICE_REQUEST_VALIDATION_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

// Returns the minimum lifetime asked for, or INVALID_ARGUMENT for an empty or
// over-long (> 256 bytes) name, or a negative or over-a-day min_ttl.
absl::StatusOr<absl::Duration> ValidateGetCredential(
    const v1::GetCredentialRequest& request);

// INVALID_ARGUMENT for more than 1024 names, or an empty or over-long name.
absl::Status ValidateWatchCredentials(
    const v1::WatchCredentialsRequest& request);

// INVALID_ARGUMENT for an empty or over-long (> 256 bytes) name: an error
// must not echo a megabyte back.
absl::Status ValidateLogin(const v1::LoginRequest& request);
absl::Status ValidateLogout(const v1::LogoutRequest& request);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_REQUEST_VALIDATION_H_

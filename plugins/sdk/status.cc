#include "plugins/sdk/status.h"

#include <cstring>

#include "plugins/sdk/host.h"

namespace mcpcred::plugin {

int32_t CodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return MCPCRED_OK;
    case absl::StatusCode::kInvalidArgument:
      return MCPCRED_ERR_INVALID_CONFIG;
    case absl::StatusCode::kNotFound:
      return MCPCRED_ERR_NOT_FOUND;
    case absl::StatusCode::kFailedPrecondition:
      return MCPCRED_ERR_LOGIN_REQUIRED;
    case absl::StatusCode::kPermissionDenied:
      return MCPCRED_ERR_PERMISSION;
    case absl::StatusCode::kCancelled:
      return MCPCRED_ERR_CANCELLED;
    case absl::StatusCode::kUnimplemented:
      return MCPCRED_ERR_UNSUPPORTED;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return MCPCRED_ERR_UNAVAILABLE;
    default:
      return MCPCRED_ERR_INTERNAL;
  }
}

int32_t Fail(mcpcred_error* error, const absl::Status& status,
             const std::string& key) {
  if (status.ok()) return MCPCRED_OK;
  return SetError(error, CodeFor(status), std::string(status.message()), key);
}

absl::Status StatusFor(int32_t code, const mcpcred_error& error) {
  std::string message(error.message,
                      strnlen(error.message, sizeof(error.message)));
  switch (code) {
    case MCPCRED_OK:
      return absl::OkStatus();
    case MCPCRED_ERR_INVALID_CONFIG:
      return absl::InvalidArgumentError(message);
    case MCPCRED_ERR_NOT_FOUND:
      return absl::NotFoundError(message);
    case MCPCRED_ERR_LOGIN_REQUIRED:
      return absl::FailedPreconditionError(message);
    case MCPCRED_ERR_PERMISSION:
      return absl::PermissionDeniedError(message);
    case MCPCRED_ERR_CANCELLED:
      return absl::CancelledError(message);
    case MCPCRED_ERR_UNSUPPORTED:
      return absl::UnimplementedError(message);
    case MCPCRED_ERR_UNAVAILABLE:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace mcpcred::plugin

#include "plugins/sdk/status.h"

#include <cstring>

namespace mcpcred::plugin {
namespace {

struct CodeRow {
  absl::StatusCode status;
  int32_t code;
};

// The one table between the two kinds of code, read both ways: a status code
// maps to the code of its row, a code to the status code of its first row.
constexpr CodeRow kCodeTable[] = {
    {absl::StatusCode::kOk, MCPCRED_OK},
    {absl::StatusCode::kInvalidArgument, MCPCRED_ERR_INVALID_CONFIG},
    {absl::StatusCode::kNotFound, MCPCRED_ERR_NOT_FOUND},
    {absl::StatusCode::kFailedPrecondition, MCPCRED_ERR_LOGIN_REQUIRED},
    {absl::StatusCode::kUnavailable, MCPCRED_ERR_UNAVAILABLE},
    {absl::StatusCode::kPermissionDenied, MCPCRED_ERR_PERMISSION},
    {absl::StatusCode::kUnimplemented, MCPCRED_ERR_UNSUPPORTED},
    {absl::StatusCode::kInternal, MCPCRED_ERR_INTERNAL},
    {absl::StatusCode::kCancelled, MCPCRED_ERR_CANCELLED},
    // One way only: a code's first row wins.
    {absl::StatusCode::kDeadlineExceeded, MCPCRED_ERR_UNAVAILABLE},
};

}  // namespace

int32_t CodeFor(absl::StatusCode code) {
  for (const CodeRow& row : kCodeTable) {
    if (row.status == code) return row.code;
  }
  return MCPCRED_ERR_INTERNAL;
}

int32_t CodeFor(const absl::Status& status) { return CodeFor(status.code()); }

absl::StatusCode StatusCodeFor(int32_t code) {
  for (const CodeRow& row : kCodeTable) {
    if (row.code == code) return row.status;
  }
  return absl::StatusCode::kInternal;
}

int32_t Fail(mcpcred_error* error, const absl::Status& status,
             const std::string& key) {
  if (status.ok()) return MCPCRED_OK;
  return SetError(error, CodeFor(status), std::string(status.message()), key);
}

absl::Status StatusFor(int32_t code, const mcpcred_error& error) {
  if (code == MCPCRED_OK) return absl::OkStatus();
  std::string message(error.message,
                      strnlen(error.message, sizeof(error.message)));
  return absl::Status(StatusCodeFor(code), message);
}

}  // namespace mcpcred::plugin

#include "agent/plugin/plugin_status.h"

#include <cstring>

#include "absl/strings/cord.h"

namespace mcpcred {
namespace {

constexpr char kLoginRequiredPayload[] = "mcpcred.io/login-required";

mcpcred_code CodeFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return MCPCRED_OK;
    case absl::StatusCode::kInvalidArgument:
      return MCPCRED_ERR_INVALID_CONFIG;
    case absl::StatusCode::kNotFound:
      return MCPCRED_ERR_NOT_FOUND;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return MCPCRED_ERR_UNAVAILABLE;
    case absl::StatusCode::kPermissionDenied:
      return MCPCRED_ERR_PERMISSION;
    case absl::StatusCode::kUnimplemented:
      return MCPCRED_ERR_UNSUPPORTED;
    case absl::StatusCode::kCancelled:
      return MCPCRED_ERR_CANCELLED;
    default:
      return MCPCRED_ERR_INTERNAL;
  }
}

// Replaces bytes that are not valid UTF-8 with '?': a plugin's message ends
// up in proto3 strings, and one invalid byte would make the client drop the
// whole reply (every credential's status with it).
std::string ValidUtf8(std::string text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (!ok) {
      text[i++] = '?';
      continue;
    }
    i += len;
  }
  return text;
}

}  // namespace

int32_t FillError(mcpcred_error* error, const absl::Status& status) {
  mcpcred_code code = CodeFor(status.code());
  if (error != nullptr && code != MCPCRED_OK) {
    error->code = code;
    std::string message(status.message());
    std::strncpy(error->message, message.c_str(), sizeof(error->message) - 1);
    error->message[sizeof(error->message) - 1] = '\0';
  }
  return code;
}

absl::Status StatusFromPlugin(int32_t code, const mcpcred_error& error) {
  // The buffer came from the plugin: never trust it to be terminated.
  std::string message = ValidUtf8(std::string(
      error.message, strnlen(error.message, sizeof(error.message))));
  if (message.empty()) message = "the provider failed without saying why";
  switch (code) {
    case MCPCRED_OK:
      return absl::OkStatus();
    case MCPCRED_ERR_INVALID_CONFIG:
      return absl::InvalidArgumentError(message);
    case MCPCRED_ERR_NOT_FOUND:
      return absl::FailedPreconditionError(message);
    case MCPCRED_ERR_LOGIN_REQUIRED: {
      absl::Status status = absl::FailedPreconditionError(message);
      status.SetPayload(kLoginRequiredPayload, absl::Cord("1"));
      return status;
    }
    case MCPCRED_ERR_UNAVAILABLE:
      return absl::UnavailableError(message);
    case MCPCRED_ERR_PERMISSION:
      return absl::PermissionDeniedError(message);
    case MCPCRED_ERR_UNSUPPORTED:
      return absl::FailedPreconditionError(message);
    case MCPCRED_ERR_CANCELLED:
      return absl::CancelledError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::Status LoginRequiredError(const std::string& credential,
                                const std::string& reason) {
  std::string message = "credential \"" + credential +
                        "\" needs a login: run 'mcpcred login " + credential +
                        "'";
  if (!reason.empty()) message += " (" + reason + ")";
  absl::Status status = absl::FailedPreconditionError(message);
  status.SetPayload(kLoginRequiredPayload, absl::Cord("1"));
  return status;
}

bool IsLoginRequired(const absl::Status& status) {
  return status.GetPayload(kLoginRequiredPayload).has_value();
}

}  // namespace mcpcred

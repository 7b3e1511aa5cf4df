#include "agent/plugin/plugin_status.h"

#include <cstring>

#include "absl/strings/cord.h"
#include "mcpcred/provider_sdk.h"
#include "plugins/sdk/status.h"

namespace mcpcred {
namespace {

constexpr char kLoginRequiredPayload[] = "mcpcred.io/login-required";

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
  int32_t code = plugin::CodeFor(status);
  // The agent's own FAILED_PRECONDITION (no secret store, a secret file too
  // large, ...) is a set-up problem; only one marked as needing a login is
  // MCPCRED_ERR_LOGIN_REQUIRED.
  if (code == MCPCRED_ERR_LOGIN_REQUIRED && !IsLoginRequired(status)) {
    code = MCPCRED_ERR_INVALID_CONFIG;
  }
  if (code == MCPCRED_OK) return code;
  return plugin::SetError(error, code, std::string(status.message()));
}

absl::Status StatusFromPlugin(int32_t code, const mcpcred_error& error) {
  if (code == MCPCRED_OK) return absl::OkStatus();
  // The buffer came from the plugin: never trust it to be terminated.
  std::string message = ValidUtf8(std::string(
      error.message, strnlen(error.message, sizeof(error.message))));
  if (message.empty()) message = "the provider failed without saying why";
  absl::StatusCode status_code = plugin::StatusCodeFor(code);
  // At the agent's edge NOT_FOUND means "no such credential" and
  // UNIMPLEMENTED "no such RPC": a provider's missing secret or unsupported
  // operation is a precondition of this credential instead.
  if (status_code == absl::StatusCode::kNotFound ||
      status_code == absl::StatusCode::kUnimplemented) {
    status_code = absl::StatusCode::kFailedPrecondition;
  }
  absl::Status status(status_code, message);
  if (code == MCPCRED_ERR_LOGIN_REQUIRED) {
    status.SetPayload(kLoginRequiredPayload, absl::Cord("1"));
  }
  return status;
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

#include "plugins/oauth2/http_calls.h"

#include <cstring>

#include "absl/status/status.h"

namespace mcpcred::oauth2 {
namespace {

absl::StatusOr<plugin::HttpResult> Call(const HttpContext& ctx,
                                        plugin::HttpCall call) {
  if (ctx.allow_private) call.flags |= MCPCRED_HTTP_ALLOW_PRIVATE;
  plugin::HttpResult result;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = plugin::Http(ctx.host, call, &result, &error);
  if (rc != MCPCRED_OK) return StatusFor(rc, error);
  return result;
}

}  // namespace

absl::StatusOr<plugin::HttpResult> HttpGet(const HttpContext& ctx,
                                           const std::string& url) {
  plugin::HttpCall call;
  call.method = "GET";
  call.url = url;
  call.headers = {{"Accept", "application/json"}};
  return Call(ctx, std::move(call));
}

absl::StatusOr<plugin::HttpResult> HttpPostForm(
    const HttpContext& ctx, const std::string& url, const FormParams& form,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  plugin::HttpCall call;
  call.method = "POST";
  call.url = url;
  call.headers = {{"Accept", "application/json"},
                  {"Content-Type", "application/x-www-form-urlencoded"}};
  call.headers.insert(call.headers.end(), headers.begin(), headers.end());
  call.body = FormEncode(form);
  return Call(ctx, std::move(call));
}

absl::StatusOr<plugin::HttpResult> HttpPostJson(const HttpContext& ctx,
                                                const std::string& url,
                                                const std::string& json) {
  plugin::HttpCall call;
  call.method = "POST";
  call.url = url;
  call.headers = {{"Accept", "application/json"},
                  {"Content-Type", "application/json"}};
  call.body = json;
  return Call(ctx, std::move(call));
}

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
  return plugin::SetError(error, CodeFor(status), std::string(status.message()),
                          key);
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
    case MCPCRED_ERR_UNAVAILABLE:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace mcpcred::oauth2

#include "plugins/oauth2/http_calls.h"

#include <cstring>

#include "absl/status/status.h"
#include "plugins/sdk/status.h"

namespace mcpcred::oauth2 {
namespace {

absl::StatusOr<plugin::HttpResult> Call(const HttpContext& ctx,
                                        plugin::HttpCall call) {
  if (ctx.allow_private) call.flags |= MCPCRED_HTTP_ALLOW_PRIVATE;
  plugin::HttpResult result;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = plugin::Http(ctx.host, call, &result, &error);
  if (rc != MCPCRED_OK) return plugin::StatusFor(rc, error);
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

absl::StatusOr<plugin::HttpResult> HttpPostJson(
    const HttpContext& ctx, const std::string& url, const std::string& json,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  plugin::HttpCall call;
  call.method = "POST";
  call.url = url;
  call.headers = {{"Content-Type", "application/json"}};
  bool accept = false;
  for (const auto& [name, value] : headers) accept |= name == "Accept";
  if (!accept) call.headers.emplace_back("Accept", "application/json");
  call.headers.insert(call.headers.end(), headers.begin(), headers.end());
  call.body = json;
  return Call(ctx, std::move(call));
}

}  // namespace mcpcred::oauth2

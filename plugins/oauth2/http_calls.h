// HTTP through the host for the OAuth flows: GET, form POST, and the mapping
// between absl::Status and the ABI's error codes.
#ifndef MCPCRED_PLUGINS_OAUTH2_HTTP_CALLS_H_
#define MCPCRED_PLUGINS_OAUTH2_HTTP_CALLS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "mcpcred/provider.h"
#include "plugins/oauth2/discovery/form_encoding.h"
#include "plugins/sdk/host.h"
#include "plugins/sdk/status.h"

namespace mcpcred::oauth2 {

struct HttpContext {
  mcpcred_host_ctx* host = nullptr;
  bool allow_private = false;
};

// GET `url` (Accept: application/json). Network errors are UNAVAILABLE.
absl::StatusOr<plugin::HttpResult> HttpGet(const HttpContext& ctx,
                                           const std::string& url);

// POST an application/x-www-form-urlencoded body, with extra headers.
absl::StatusOr<plugin::HttpResult> HttpPostForm(
    const HttpContext& ctx, const std::string& url, const FormParams& form,
    const std::vector<std::pair<std::string, std::string>>& headers = {});

// POST a JSON body, with extra headers (they may replace Accept).
absl::StatusOr<plugin::HttpResult> HttpPostJson(
    const HttpContext& ctx, const std::string& url, const std::string& json,
    const std::vector<std::pair<std::string, std::string>>& headers = {});

// The ABI conversions, for the flows' files.
using plugin::CodeFor;
using plugin::Fail;
using plugin::StatusFor;

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_HTTP_CALLS_H_

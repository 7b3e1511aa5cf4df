// Fuzzes ParseAccessTokensResponse
// (plugins/github_app/installation_token.h): GitHub's (or a GitHub
// Enterprise server's) answer to POST /app/installations/{id}/access_tokens.
//
// Input: byte 0 picks the HTTP status (low 4 bits, from kStatuses); the rest
// is the body.
//
// Invariants:
//  - MCPCRED_OK exactly for a 200/201 answer whose body has a non-empty
//    string "token" and a string "expires_at"; the token is the body's;
//  - expires_at_ms is a finite instant: absl::ParseTime also takes the
//    words "infinite-future" and "infinite-past", and a year too large for
//    int64 milliseconds saturates; a token that never expires would be
//    served long after GitHub's hour is up;
//  - every other answer has an error code: the one for its status on a
//    non-2xx answer, UNAVAILABLE on a 2xx one;
//  - the message is one line in the sense of oauth2/discovery/one_line.h
//    (no control character: no CR, LF, TAB or ESC, which `mcpcred status`
//    would print to a terminal) and valid UTF-8: it goes into a proto3
//    string field (CredentialStatus.last_error), which a client refuses to
//    parse otherwise.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/github_app/installation_token.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Escape;

constexpr int kStatuses[16] = {201, 200, 201, 202, 204, 401, 403, 404,
                               422, 429, 500, 502, 503, 301, 0,   -1};

int32_t CodeForStatus(int status) {
  if (status == 401 || status == 403) return MCPCRED_ERR_PERMISSION;
  if (status == 404 || status == 422) return MCPCRED_ERR_INVALID_CONFIG;
  return MCPCRED_ERR_UNAVAILABLE;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  const int status = kStatuses[data[0] & 0x0f];
  const std::string body(mcpcred::fuzz::AsText(data + 1, size - 1));

  const mcpcred::github_app::MintResult result =
      mcpcred::github_app::ParseAccessTokensResponse(status, body);
  const nlohmann::json doc =
      nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  const std::string where =
      "HTTP " + std::to_string(status) + " body " + Escape(body);

  const bool success_status = status == 200 || status == 201;
  if (result.code == MCPCRED_OK) {
    FUZZ_CHECK("github-success-needs-2xx", success_status, where);
    FUZZ_CHECK("github-token-from-body",
               doc.is_object() && doc.contains("token") &&
                   doc["token"].is_string() &&
                   doc["token"].get<std::string>() == result.token.token &&
                   !result.token.token.empty(),
               where);
    const std::string expires_at = doc.is_object() &&
                                           doc.contains("expires_at") &&
                                           doc["expires_at"].is_string()
                                       ? doc["expires_at"].get<std::string>()
                                       : std::string();
    FUZZ_CHECK(
        "github-expires-at-finite",
        result.token.expires_at_ms != std::numeric_limits<int64_t>::max() &&
            result.token.expires_at_ms != std::numeric_limits<int64_t>::min(),
        "expires_at " + Escape(expires_at) + " gives " +
            std::to_string(result.token.expires_at_ms) + " ms");
    return 0;
  }

  const int32_t expected =
      success_status ? MCPCRED_ERR_UNAVAILABLE : CodeForStatus(status);
  FUZZ_CHECK("github-error-code", result.code == expected,
             "code " + std::to_string(result.code) + " for " + where);
  FUZZ_CHECK("github-error-message", !result.message.empty(), where);
  FUZZ_CHECK("github-message-one-line",
             !mcpcred::fuzz::HasControl(result.message),
             "message " + Escape(result.message) + " for " + where);
  FUZZ_CHECK("github-message-utf8", mcpcred::fuzz::IsValidUtf8(result.message),
             "message " + Escape(result.message) + " for " + where);
  FUZZ_CHECK("github-no-token-on-error", result.token.token.empty(), where);
  return 0;
}

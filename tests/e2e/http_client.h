// A tiny HTTP client (libcurl) for the end-to-end tests: calls the protected
// resource with a Bearer token, reads the peers' /_test statistics and posts
// to their control endpoints. Loopback only; no redirects followed.
#ifndef MCPCRED_TESTS_E2E_HTTP_CLIENT_H_
#define MCPCRED_TESTS_E2E_HTTP_CLIENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcred::testing {

struct HttpResponse {
  long status = 0;
  std::string body;
};

// Sends `method` ("GET" or "POST", with an empty body) to `url` with the
// given header lines ("Name: value"). An error status means no HTTP answer
// at all (connection refused, timeout); any HTTP status is a response.
absl::StatusOr<HttpResponse> HttpRequest(
    const std::string& method, const std::string& url,
    const std::vector<std::string>& headers = {});

// GET `url` with `Authorization: Bearer <token>`.
absl::StatusOr<HttpResponse> GetWithBearer(const std::string& url,
                                           const std::string& token);

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_E2E_HTTP_CLIENT_H_

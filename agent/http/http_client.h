// The agent's HTTP client (libcurl) for provider plugins: the one place where
// the agent talks to the network, so its safety policy lives here once.
// libcurl is in the agent's http module (http_module.h), loaded at the first
// request.
//
// Policy: only http and https; TLS peer and host verification always on;
// every connection's address checked by CheckConnectAddress (so DNS answers
// and redirects cannot lead around it); redirects off unless asked (max 5);
// bodies capped at 1 MiB; a total timeout on every request.
#ifndef MCPCRED_AGENT_HTTP_HTTP_CLIENT_H_
#define MCPCRED_AGENT_HTTP_HTTP_CLIENT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mcpcred {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  absl::Duration timeout = absl::Seconds(15);
  bool follow_redirects = false;
  bool allow_private = false;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  // Names lower-cased, in the order received (of the final response).
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr size_t kMaxResponseBytes = 1 << 20;

// Thread-safe: each call uses its own curl handle.
// Returns the response for any HTTP status. Errors: INVALID_ARGUMENT for a
// malformed URL or unsupported scheme; PERMISSION_DENIED when the policy
// refuses; UNAVAILABLE for network errors, TLS failures, timeouts and
// oversized bodies, and when the http module cannot be loaded (the message
// names its file and why). Messages name the URL without its query string.
absl::StatusOr<HttpResponse> PerformHttp(const HttpRequest& request);

// "scheme://host[:port]/path" of `url`: what messages may show.
inline std::string UrlForMessages(const std::string& url) {
  size_t cut = url.find_first_of("?#");
  return cut == std::string::npos ? url : url.substr(0, cut);
}

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_HTTP_HTTP_CLIENT_H_

// URLs for the bridge, on libcurl's URL parser: the old HTTP+SSE transport's
// `endpoint` is resolved against the server URL and must stay on its origin
// (the bridge sends credentials there).
#ifndef MCPCRED_CLIENT_REMOTE_URL_UTIL_H_
#define MCPCRED_CLIENT_REMOTE_URL_UTIL_H_

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred::remote {

// INVALID_ARGUMENT unless `url` is an absolute http(s) URL with a host.
absl::Status CheckServerUrl(const std::string& url);

// `reference` resolved against `base` (RFC 3986); INVALID_ARGUMENT if either
// does not parse or the result is not on `base`'s origin (scheme, host and
// port).
absl::StatusOr<std::string> ResolveSameOrigin(const std::string& base,
                                              const std::string& reference);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_URL_UTIL_H_

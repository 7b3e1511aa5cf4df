// HTTP on libcurl for the bridge: one call per exchange, from any thread, the
// body buffered or streamed. Connections are kept alive and reused: each
// finished transfer's handle (and its connection) goes back to a pool.
//
// Redirects are not followed (a request carries credentials, which must not
// travel to another origin) and only http and https are spoken.
//
// Thread-safe.
#ifndef MCPCRED_CLIENT_REMOTE_CURL_HTTP_H_
#define MCPCRED_CLIENT_REMOTE_CURL_HTTP_H_

#include <chrono>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "http_types.h"

namespace mcpcred::remote {

class CurlHttp {
 public:
  explicit CurlHttp(
      std::chrono::milliseconds connect_timeout = std::chrono::seconds(10));
  ~CurlHttp();
  CurlHttp(const CurlHttp&) = delete;
  CurlHttp& operator=(const CurlHttp&) = delete;

  // Performs `request`. Any HTTP status is a response; errors are transport
  // failures: UNAVAILABLE (cannot connect, connection lost), CANCELLED
  // (request.cancel), INVALID_ARGUMENT (a bad URL). Messages never hold
  // header values.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request,
                                    const BodyHandlers& handlers = {});

 private:
  void* TakeHandle();
  void ReturnHandle(void* handle);

  const std::chrono::milliseconds connect_timeout_;
  absl::Mutex mu_;
  std::vector<void*> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_CURL_HTTP_H_

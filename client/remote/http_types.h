// One HTTP exchange as the bridge sees it: a request, the response head and
// body, and how a caller takes a body as it streams in.
#ifndef MCPCRED_CLIENT_REMOTE_HTTP_TYPES_H_
#define MCPCRED_CLIENT_REMOTE_HTTP_TYPES_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpcred::remote {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";  // "GET", "POST", "DELETE"
  std::string url;
  HeaderList headers;  // added to the request as given
  std::string body;    // sent for POST
  // When set and true, the transfer stops (CANCELLED) within about a second.
  const std::atomic<bool>* cancel = nullptr;
  // The whole exchange's limit; 0: none (a stream may last for hours).
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  long status = 0;
  HeaderList headers;  // names lower-cased, in arrival order
  std::string body;    // the body, unless it was streamed

  // The first value of header `name` (lower case), or "".
  std::string Header(std::string_view name) const;
  // Every value of header `name` (lower case).
  std::vector<std::string> Headers(std::string_view name) const;
  // The media type of Content-Type, lower-cased, without parameters.
  std::string MediaType() const;
};

struct BodyHandlers {
  // Called once the final response head is in: true streams the body to
  // `on_body` (HttpResponse::body stays empty), false buffers it.
  std::function<bool(const HttpResponse& head)> stream;
  std::function<void(std::string_view chunk)> on_body;
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_HTTP_TYPES_H_

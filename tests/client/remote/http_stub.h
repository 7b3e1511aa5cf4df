// A small HTTP/1.1 server on 127.0.0.1 for the bridge's unit tests: each
// request goes to a handler that says the status, headers and body pieces
// (written with a pause between them, so that a client sees a stream in
// parts); every response ends by closing the connection.
#ifndef MCPCRED_TESTS_CLIENT_REMOTE_HTTP_STUB_H_
#define MCPCRED_TESTS_CLIENT_REMOTE_HTTP_STUB_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace mcpcred::remote::testing {

struct StubRequest {
  std::string method;
  std::string target;                          // path and query
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  // The header's value, or "".
  std::string Header(const std::string& name) const;
};

struct StubResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> chunks;              // the body, in pieces
  absl::Duration pause = absl::ZeroDuration();  // between pieces
};

class HttpStub {
 public:
  using Handler = std::function<StubResponse(const StubRequest&)>;
  explicit HttpStub(Handler handler);
  ~HttpStub();

  // "http://127.0.0.1:PORT" + path.
  std::string Url(const std::string& path) const;
  std::vector<StubRequest> requests() const;

 private:
  void Accept();
  void Serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  mutable absl::Mutex mu_;
  std::vector<StubRequest> requests_;
  std::vector<std::thread> threads_;
  std::thread accept_thread_;
};

// A JSON body response.
StubResponse Json(
    int status, const std::string& body,
    std::vector<std::pair<std::string, std::string>> headers = {});
// An SSE body response in `chunks`.
StubResponse Sse(std::vector<std::string> chunks,
                 std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace mcpcred::remote::testing

#endif  // MCPCRED_TESTS_CLIENT_REMOTE_HTTP_STUB_H_

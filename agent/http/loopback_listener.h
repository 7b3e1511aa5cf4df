// The loopback redirect listener of an OAuth login (RFC 8252 section 7.3): a
// one-shot HTTP endpoint on 127.0.0.1 with an ephemeral port, bound once
// before the authorization URL is built. It lives in the agent, so a login
// survives the CLI's exit.
#ifndef MCPCRED_AGENT_HTTP_LOOPBACK_LISTENER_H_
#define MCPCRED_AGENT_HTTP_LOOPBACK_LISTENER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mcpcred {

// Thread-compatible: one login uses it from one thread.
class LoopbackListener {
 public:
  LoopbackListener() = default;
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  // Binds 127.0.0.1:0 the first time; returns the port every time.
  absl::StatusOr<int> Open();

  // Serves requests until a GET for `path` arrives; answers it with a short
  // page saying the window can be closed and returns its query string (without
  // the '?'). Other paths get 404. Returns UNAVAILABLE when `timeout` passes,
  // CANCELLED as soon as `cancelled()` is true (checked a few times a second),
  // FAILED_PRECONDITION if Open() was not called.
  absl::StatusOr<std::string> WaitForCallback(
      const std::string& path, absl::Duration timeout,
      const std::function<bool()>& cancelled);

 private:
  // Reads one request from `fd` and answers it; sets *query and returns true
  // when it was the callback.
  bool ServeOne(int fd, const std::string& path, std::string* query);

  int fd_ = -1;
  int port_ = 0;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_HTTP_LOOPBACK_LISTENER_H_

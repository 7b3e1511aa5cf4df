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

  // Binds 127.0.0.1 the first time: `preferred_port` when it is free (and
  // not 0), else an ephemeral port. Returns the port every time.
  absl::StatusOr<int> Open(int preferred_port = 0);

  // Serves requests until a GET for `path` arrives and returns its query
  // string (without the '?'). Without `hold` it answers at once with a short
  // page saying the window can be closed; with `hold` the browser waits for
  // Reply(). Other paths get 404. Returns UNAVAILABLE when `timeout` passes,
  // CANCELLED as soon as `cancelled()` is true (checked a few times a second),
  // FAILED_PRECONDITION if Open() was not called.
  absl::StatusOr<std::string> WaitForCallback(
      const std::string& path, absl::Duration timeout,
      const std::function<bool()>& cancelled, bool hold = false);

  // Answers the held browser request: "the login is complete" when `ok`,
  // else "the login failed: " and `reason` (HTML-escaped). No-op when no
  // request is held. The destructor answers a held request it never got a
  // Reply() for with a page saying the outcome is unknown.
  void Reply(bool ok, const std::string& reason);

 private:
  // Reads one request from `fd`; answers anything but the callback; sets
  // *query and returns true when it was the callback (answered unless held).
  bool ServeOne(int fd, const std::string& path, bool hold, std::string* query);

  int fd_ = -1;
  int port_ = 0;
  int held_ = -1;  // the browser's connection awaiting Reply()
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_HTTP_LOOPBACK_LISTENER_H_

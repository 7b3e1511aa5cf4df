// The older HTTP+SSE transport (MCP 2024-11-05), for servers that refuse the
// Streamable HTTP initialize POST: a GET on the server URL opens an SSE
// stream whose first event, `endpoint`, names where to POST messages (on
// the same origin); every answer comes back on that stream as a `message`
// event. When the stream ends the session is over.
//
// Thread-safe.
#ifndef MCPCRED_CLIENT_REMOTE_LEGACY_SSE_H_
#define MCPCRED_CLIENT_REMOTE_LEGACY_SSE_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "authorized_sender.h"
#include "host_message.h"
#include "host_output.h"

namespace mcpcred::remote {

class LegacySseSession {
 public:
  LegacySseSession(std::string url, AuthorizedSender* sender, HostOutput* host,
                   std::function<void()> on_ended);
  ~LegacySseSession();

  // Opens the stream and waits up to `timeout` for the endpoint. Errors say
  // why (an HTTP status, no endpoint, an endpoint on another origin).
  absl::Status Start(absl::Duration timeout = absl::Seconds(30));
  // POSTs one message to the endpoint; its answer comes on the stream.
  void Relay(const HostMessage& message);
  // Stops the stream.
  void Close();

 private:
  void Run();

  const std::string url_;
  AuthorizedSender* const sender_;
  HostOutput* const host_;
  const std::function<void()> on_ended_;
  std::atomic<bool> cancel_{false};

  absl::Mutex mu_;
  std::string endpoint_ ABSL_GUARDED_BY(mu_);
  absl::Status failed_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_LEGACY_SSE_H_

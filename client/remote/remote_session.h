// The bridge's side of MCP's Streamable HTTP transport (2025-11-25): every
// host message is POSTed to the server URL; a request's answer comes back as
// JSON or as an SSE stream (resumed with GET and Last-Event-ID when the
// server drops it); the session id and negotiated protocol version go on
// every request after initialize; a GET stream carries the server's own
// messages once the session is initialized; the session is DELETEd at the
// end. A 404 for a known session starts a new one (the host's initialize is
// replayed) and the message is sent again.
//
// When the server answers the initialize POST with a 4xx other than 401,
// 403 and 429, it speaks the older HTTP+SSE transport (2024-11-05) and the
// session switches to it (legacy_sse.h).
//
// Every request gets an answer: the server's, or a JSON-RPC error saying
// what failed (login needed, server unreachable, HTTP error).
//
// Thread-safe: Relay() runs concurrently for concurrent host messages.
#ifndef MCPCRED_CLIENT_REMOTE_REMOTE_SESSION_H_
#define MCPCRED_CLIENT_REMOTE_REMOTE_SESSION_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "authorized_sender.h"
#include "host_message.h"
#include "host_output.h"
#include "legacy_sse.h"

namespace mcpcred::remote {

struct RemoteOptions {
  std::string url;
  // Wait before reconnecting a dropped stream when the server gave no
  // `retry`, and the most reconnections of one POST's stream in a row
  // without any event.
  std::chrono::milliseconds default_retry{500};
  int max_resumes = 5;
  // Called once when the server side ends for good (the old transport's
  // stream closed): the bridge should exit.
  std::function<void()> on_ended;
};

class RemoteSession {
 public:
  RemoteSession(RemoteOptions options, AuthorizedSender* sender,
                HostOutput* host);
  ~RemoteSession();

  // Relays one host message; returns when its exchange is over (for a
  // request: once its answer, or an error, went to the host).
  void Relay(const HostMessage& message);

  // Stops POSTs still running (their requests get an error).
  void CancelRequests() { requests_cancel_.store(true); }
  // Stops the GET stream and ends the session (DELETE).
  void Close();

  // What the session knows (for tests and diagnostics).
  std::string session_id() const;
  std::string protocol_version() const;
  bool legacy() const;

 private:
  // One POST of `message` and the streams that answer it. Returns false
  // when the session expired (404) and the message should be sent again.
  bool Exchange(const HostMessage& message, bool may_renew);
  // Hands one server message to the host; notes an initialize result.
  void Deliver(const std::string& data, const HostMessage* request,
               bool* answered);
  HttpRequest Request(const std::string& method, std::string body,
                      const std::string& last_event_id = "") const;

  bool SwitchToLegacy(const HostMessage& initialize, long status);
  bool Renew(const std::string& expired);
  void StartGetStream();
  void RunGetStream();

  const RemoteOptions options_;
  AuthorizedSender* const sender_;
  HostOutput* const host_;
  std::atomic<bool> requests_cancel_{false};
  std::atomic<bool> stream_cancel_{false};

  mutable absl::Mutex mu_;
  std::string session_id_ ABSL_GUARDED_BY(mu_);
  std::string protocol_version_ ABSL_GUARDED_BY(mu_);
  std::string initialize_ ABSL_GUARDED_BY(mu_);  // the host's, for Renew()
  std::unique_ptr<LegacySseSession> legacy_ ABSL_GUARDED_BY(mu_);
  bool stream_started_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex renew_mu_;
  std::thread stream_thread_;
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_REMOTE_SESSION_H_

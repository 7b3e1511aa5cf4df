// One MCP session as the host sees it, served by a succession of server
// instances: the logic of the relay without processes or file descriptors,
// so tests drive it with lines and times.
//
//  - The first instance gets everything the host sends, its `initialize`
//    too, and answers it to the host.
//  - A replacement (after a credential rotation) gets the host's
//    `initialize` replayed under a relay id, and answers it to the relay:
//    the host never sees a second initialize response. Once it has answered,
//    it gets the host's `notifications/initialized` (and its last
//    `logging/setLevel`, answered to the relay) and becomes current: new host
//    requests go to it.
//  - The instance it replaced drains: its requests in flight are still
//    answered, up to the drain timeout; then each gets a JSON-RPC error that
//    says why, and the instance is stopped.
//  - A replacement that exits, errs or does not answer `initialize` within
//    the start timeout is abandoned: the session stays on the current
//    instance and says so in one log line.
//  - Requests a server sends the host (sampling, roots, elicitation) get ids
//    from IdRouter; the host's `notifications/cancelled` goes to the instance
//    that holds the request.
//
// Everything a server sends the host passes through the MessageMasker.
//
// Thread-compatible: the relay's event loop owns it.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_SESSION_H_
#define MCPCRED_CLIENT_EXEC_RELAY_SESSION_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "relay/id_router.h"
#include "relay/jsonrpc.h"
#include "relay/message_masker.h"

namespace mcpcred::exec::relay {

// What the session asks of the world around it.
class SessionIo {
 public:
  virtual ~SessionIo() = default;
  // One line for the host's stdin (without '\n').
  virtual void WriteToHost(std::string line) = 0;
  // One line for an instance's stdin (without '\n').
  virtual void WriteToInstance(int instance, std::string line) = 0;
  // The instance is no longer needed: close its stdin, SIGTERM, and SIGKILL
  // after a grace period. OnInstanceExited follows once it is gone.
  virtual void StopInstance(int instance) = 0;
  // A replacement became current (`ok`) or was abandoned.
  virtual void ReplacementDone(int instance, bool ok) = 0;
  // One line for stderr (never a secret).
  virtual void Log(std::string_view line) = 0;
};

struct SessionOptions {
  absl::Duration drain_timeout = absl::Seconds(30);
  absl::Duration start_timeout = absl::Seconds(30);
};

class Session {
 public:
  Session(SessionOptions options, SessionIo* io, MessageMasker* masker);

  // The first instance (`instance` numbers are the caller's, each used once).
  void AddFirstInstance(int instance);
  // True once the host has initialized the session and no replacement is
  // starting: a replacement may be added.
  bool CanReplace() const;
  // A replacement was started: replays initialize to it.
  void AddReplacement(int instance, absl::Time now);

  void OnHostLine(std::string_view line, absl::Time now);
  // The host sent a line longer than the cap (dropped).
  void OnHostOverflow(uint64_t length);
  void OnInstanceLine(int instance, std::string_view line, absl::Time now);
  void OnInstanceOverflow(int instance, uint64_t length);
  // The instance's process ended and all it wrote was read.
  void OnInstanceExited(int instance, absl::Time now);
  // Runs the timers due at `now`.
  void OnTimer(absl::Time now);
  // When OnTimer has something to do next (InfiniteFuture: nothing).
  absl::Time NextDeadline() const;

  int current() const { return current_; }
  std::optional<int> starting() const;
  // Instances that are draining or stopping.
  size_t retiring() const;
  uint64_t replacements() const { return replacements_; }
  const IdRouter& router() const { return router_; }

 private:
  enum class State { kStarting, kCurrent, kDraining, kStopping };
  struct Instance {
    State state = State::kStarting;
    absl::Time deadline = absl::InfiniteFuture();  // start or drain
  };

  void FromServerResponse(int instance, Message& message, std::string_view line,
                          absl::Time now);
  void Promote(int instance, absl::Time now);
  void Abandon(int instance, std::string_view why);
  // Stops a draining instance once nothing is in flight on it.
  void MaybeStop(int instance);
  // Answers every host request in flight on `instance` with an error.
  void FailRequestsOf(int instance, std::string_view why);
  void ToHost(std::string_view raw, Json* json, bool modified);
  std::string RelayId(std::string_view what, int instance) const;

  const SessionOptions options_;
  SessionIo* const io_;
  MessageMasker* const masker_;
  IdRouter router_;
  std::map<int, Instance> instances_;
  int current_ = -1;

  // The host's initialize request and its initialized notification, for
  // replays; and its last logging/setLevel params.
  std::optional<Json> initialize_;
  std::string initialized_line_;
  std::optional<Json> log_level_;
  // Ids of requests the relay sent itself (replays): their answers stay here.
  std::map<std::string, int> relay_requests_;
  uint64_t replacements_ = 0;
};

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_SESSION_H_

// Reads the SSE streams of one exchange (a POST's answer and the GETs that
// resume it after a disconnect, or the GET stream) and hands each event on.
// Remembers the last event id and the server's retry time across
// connections, for `Last-Event-ID` when reconnecting. Events with empty
// data (a server primes a stream with one, for its id) are not handed on.
//
// Thread-compatible: one exchange, one thread.
#ifndef MCPCRED_CLIENT_REMOTE_EVENT_READER_H_
#define MCPCRED_CLIENT_REMOTE_EVENT_READER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "http_types.h"
#include "sse_parser.h"

namespace mcpcred::remote {

class EventReader {
 public:
  explicit EventReader(SseParser::OnEvent on_event)
      : on_event_(std::move(on_event)) {}

  // Handlers for one response: a 2xx text/event-stream body is parsed (from
  // a fresh start: a line cut off by a disconnect is dropped); anything else
  // is buffered. Valid until the next call.
  BodyHandlers Handlers();
  // After the response: records its last event id and retry time.
  void Finish();

  bool resumable() const { return !last_event_id_.empty(); }
  const std::string& last_event_id() const { return last_event_id_; }
  // The server's retry time, else `fallback`.
  std::chrono::milliseconds retry(std::chrono::milliseconds fallback) const;
  // Events handed on so far.
  uint64_t events() const { return events_; }

 private:
  SseParser::OnEvent on_event_;
  std::optional<SseParser> parser_;
  std::string last_event_id_;
  std::optional<uint64_t> retry_ms_;
  uint64_t events_ = 0;
};

// Whether a response head starts an SSE stream.
bool IsEventStream(const HttpResponse& head);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_EVENT_READER_H_

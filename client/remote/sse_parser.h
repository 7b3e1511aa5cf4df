// An incremental parser of text/event-stream (the WHATWG "server-sent
// events" format), for the SSE answers and GET streams of MCP's Streamable
// HTTP and HTTP+SSE transports.
//
// Bytes may arrive split anywhere (inside a line, between the CR and LF of a
// CRLF, inside a UTF-8 sequence); events come out exactly as if the stream had
// arrived in one piece:
//  - lines end with CRLF, LF or CR; a leading UTF-8 BOM is dropped;
//  - `field: value` (one space after the colon is dropped), `field` alone
//    (empty value), `: comment` (ignored); unknown fields are ignored;
//  - `data` lines are joined with "\n"; a blank line dispatches the event;
//    an event without data is not dispatched (but its `id` still counts);
//  - `id` containing NUL is ignored; `retry` is taken only if all digits.
//
// Thread-compatible.
#ifndef MCPCRED_CLIENT_REMOTE_SSE_PARSER_H_
#define MCPCRED_CLIENT_REMOTE_SSE_PARSER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mcpcred::remote {

struct SseEvent {
  std::string type = "message";  // `event`, "message" when absent
  std::string data;
  std::string id;  // the last event id in effect when it was dispatched

  bool operator==(const SseEvent&) const = default;
};

class SseParser {
 public:
  using OnEvent = std::function<void(const SseEvent&)>;
  explicit SseParser(OnEvent on_event) : on_event_(std::move(on_event)) {}

  // Takes the next bytes of the stream; dispatches every complete event.
  void Feed(std::string_view bytes);

  // The last event id seen (for `Last-Event-ID` when reconnecting), and
  // whether any was: an empty `id` field resets it to "".
  const std::string& last_event_id() const { return last_event_id_; }
  bool has_event_id() const { return has_event_id_; }
  // The reconnection time the server asked for, in milliseconds.
  std::optional<uint64_t> retry_ms() const { return retry_ms_; }

 private:
  // Splits lines; handles the bytes after any BOM.
  void Scan(std::string_view bytes);
  void Line(std::string_view line);
  void Dispatch();

  OnEvent on_event_;
  std::string line_;       // an incomplete line
  bool after_cr_ = false;  // the last byte was a CR: skip an LF next
  bool checked_bom_ = false;
  std::string data_;
  bool has_data_ = false;
  std::string type_;
  std::string last_event_id_;
  bool has_event_id_ = false;
  std::optional<uint64_t> retry_ms_;
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_SSE_PARSER_H_

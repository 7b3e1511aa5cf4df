#include "event_reader.h"

namespace mcpcred::remote {

bool IsEventStream(const HttpResponse& head) {
  return head.status >= 200 && head.status < 300 &&
         head.MediaType() == "text/event-stream";
}

BodyHandlers EventReader::Handlers() {
  parser_.reset();
  BodyHandlers handlers;
  handlers.stream = [this](const HttpResponse& head) {
    if (!IsEventStream(head)) return false;
    parser_.emplace([this](const SseEvent& event) {
      // An empty event only primes the stream with an id (2025-11-25).
      if (event.data.empty()) return;
      ++events_;
      on_event_(event);
    });
    return true;
  };
  handlers.on_body = [this](std::string_view chunk) {
    if (parser_.has_value()) parser_->Feed(chunk);
  };
  return handlers;
}

void EventReader::Finish() {
  if (!parser_.has_value()) return;
  if (parser_->has_event_id()) last_event_id_ = parser_->last_event_id();
  if (parser_->retry_ms().has_value()) retry_ms_ = parser_->retry_ms();
  parser_.reset();
}

std::chrono::milliseconds EventReader::retry(
    std::chrono::milliseconds fallback) const {
  return retry_ms_.has_value() ? std::chrono::milliseconds(*retry_ms_)
                               : fallback;
}

}  // namespace mcpcred::remote

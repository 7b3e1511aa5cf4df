#include "relay/line_framer.h"

#include <utility>

namespace mcpcred::exec::relay {

LineFramer::LineFramer(size_t max_line, LineFn on_line, OverflowFn on_overflow)
    : max_line_(max_line),
      on_line_(std::move(on_line)),
      on_overflow_(std::move(on_overflow)) {}

void LineFramer::EndLine(std::string_view tail) {
  if (overflowing_) {
    on_overflow_(overflow_length_ + tail.size());
    overflowing_ = false;
    overflow_length_ = 0;
  } else if (partial_.size() + tail.size() > max_line_) {
    on_overflow_(partial_.size() + tail.size());
  } else if (partial_.empty()) {
    // The whole line lies in this chunk: no copy.
    on_line_(tail);
  } else {
    partial_.append(tail);
    on_line_(partial_);
  }
  partial_.clear();
}

void LineFramer::Write(std::string_view chunk) {
  while (!chunk.empty()) {
    size_t newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      if (overflowing_) {
        overflow_length_ += chunk.size();
      } else if (partial_.size() + chunk.size() > max_line_) {
        overflowing_ = true;
        overflow_length_ = partial_.size() + chunk.size();
        partial_.clear();
        partial_.shrink_to_fit();
      } else {
        partial_.append(chunk);
      }
      return;
    }
    EndLine(chunk.substr(0, newline));
    chunk.remove_prefix(newline + 1);
  }
}

void LineFramer::Finish() {
  if (overflowing_ || !partial_.empty()) EndLine({});
}

}  // namespace mcpcred::exec::relay

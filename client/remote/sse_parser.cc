#include "sse_parser.h"

#include <algorithm>
#include <cstddef>

namespace mcpcred::remote {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// A retry beyond a day is not a reconnection time but a mistake.
constexpr uint64_t kMaxRetryMs = 24ull * 3600 * 1000;

}  // namespace

void SseParser::Feed(std::string_view bytes) {
  if (checked_bom_) {
    Scan(bytes);
    return;
  }
  // The BOM may itself arrive split: hold bytes until it is ruled out.
  line_.append(bytes);
  size_t known = std::min(line_.size(), kBom.size());
  if (line_.size() < kBom.size() &&
      line_.compare(0, known, kBom.substr(0, known)) == 0) {
    return;
  }
  checked_bom_ = true;
  std::string pending = std::move(line_);
  line_.clear();
  if (pending.compare(0, kBom.size(), kBom) == 0) pending.erase(0, kBom.size());
  Scan(pending);
}

void SseParser::Scan(std::string_view bytes) {
  size_t from = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c != '\r' && c != '\n') {
      after_cr_ = false;
      continue;
    }
    if (c == '\n' && after_cr_ && i == from) {
      // The LF of a CRLF whose CR ended the previous line.
      after_cr_ = false;
      from = i + 1;
      continue;
    }
    after_cr_ = c == '\r';
    if (line_.empty()) {
      Line(bytes.substr(from, i - from));
    } else {
      line_.append(bytes.substr(from, i - from));
      Line(line_);
      line_.clear();
    }
    from = i + 1;
  }
  line_.append(bytes.substr(from));
}

void SseParser::Line(std::string_view line) {
  if (line.empty()) {
    Dispatch();
    return;
  }
  if (line.front() == ':') return;  // a comment (keep-alive)
  std::string_view field = line;
  std::string_view value;
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    data_.append(value);
    data_.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    type_ = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) {
      last_event_id_ = std::string(value);
      has_event_id_ = !value.empty();
    }
  } else if (field == "retry") {
    if (value.empty() || value.size() > 12) return;
    uint64_t ms = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return;
      ms = ms * 10 + static_cast<uint64_t>(c - '0');
    }
    retry_ms_ = ms > kMaxRetryMs ? kMaxRetryMs : ms;
  }
}

void SseParser::Dispatch() {
  if (!has_data_) {
    type_.clear();
    return;
  }
  SseEvent event;
  data_.pop_back();  // the "\n" after the last data line
  event.data = std::move(data_);
  if (!type_.empty()) event.type = std::move(type_);
  event.id = last_event_id_;
  data_.clear();
  type_.clear();
  has_data_ = false;
  on_event_(event);
}

}  // namespace mcpcred::remote

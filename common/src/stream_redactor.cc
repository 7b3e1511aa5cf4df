#include "mcpcred/common/stream_redactor.h"

#include <algorithm>
#include <utility>

namespace mcpcred {

StreamRedactor::StreamRedactor(std::shared_ptr<const RedactionSet> set)
    : set_(std::move(set)) {
  window_end_ = set_->shortest() > 0 ? set_->shortest() - 1 : 0;
}

void StreamRedactor::Write(std::string_view chunk, std::string* out) {
  consumed_ += chunk.size();
  if (set_->patterns() == 0) {
    out->append(chunk);
    held_start_ = consumed_;
    return;
  }
  held_.append(chunk);
  Emit(Scan(), out);
}

void StreamRedactor::Finish(std::string* out) {
  if (set_->patterns() > 0) Scan();
  // What is still pending cannot become a value: the stream has ended.
  Emit(consumed_, out);
  skipping_ = true;
  state_ = 0;
  window_end_ = consumed_ + set_->shortest() - (set_->shortest() > 0);
}

void StreamRedactor::AddMatch(uint64_t end, uint32_t state) {
  const RedactionSet& set = *set_;
  const uint32_t length = set.MatchLength(state);
  Run run{end - length, end, length, end - length, &set.MatchLabel(state)};
  // Fold in every earlier run this occurrence overlaps (a longer value may
  // begin before a shorter one it contains).
  while (!runs_.empty() && run.begin < runs_.back().end) {
    const Run& last = runs_.back();
    if (last.length > run.length || (last.length == run.length &&
                                     last.longest_begin <= run.longest_begin)) {
      run.length = last.length;
      run.longest_begin = last.longest_begin;
      run.label = last.label;
    }
    run.begin = std::min(run.begin, last.begin);
    run.end = std::max(run.end, last.end);
    runs_.pop_back();
  }
  runs_.push_back(run);
}

uint64_t StreamRedactor::Scan() {
  const RedactionSet& set = *set_;
  const uint64_t span = set.shortest() - 1;  // window end - window start
  while (true) {
    if (skipping_) {
      // Every value starts with a window of shortest() bytes whose last
      // gram has shift 0; other windows are skipped over.
      const char* base = held_.data() - held_start_;
      while (window_end_ < consumed_) {
        const uint8_t shift = set.Shift(base + window_end_);
        if (shift == 0) break;
        window_end_ += shift;
      }
      if (window_end_ >= consumed_) {
        return window_end_ - span;  // no value starts before the window
      }
      skipping_ = false;
      state_ = 0;
      automaton_at_ = window_end_ - span;
    }
    // The automaton runs until no value is partly matched; every value that
    // starts from here on until then is found by it.
    uint32_t state = state_;
    uint64_t at = automaton_at_;
    while (at < consumed_) {
      state = set.Next(state, static_cast<uint8_t>(At(at)));
      ++at;
      if (state & RedactionSet::kMatchBit) AddMatch(at, state);
      if (set.Depth(state) == 0) break;
    }
    state_ = state;
    automaton_at_ = at;
    if (set.Depth(state) != 0) return at - set.Depth(state);
    skipping_ = true;
    window_end_ = at + span;
  }
}

void StreamRedactor::Emit(uint64_t limit, std::string* out) {
  uint64_t from = held_start_;
  while (from < limit) {
    if (runs_.empty() || runs_.front().begin >= limit) {
      out->append(held_, from - held_start_, limit - from);
      from = limit;
      break;
    }
    const Run& run = runs_.front();
    if (run.begin > from) {
      out->append(held_, from - held_start_, run.begin - from);
      from = run.begin;
    }
    if (run.end > limit) break;  // a longer value may still extend it
    out->append("[REDACTED:");
    out->append(*run.label);
    out->push_back(']');
    ++replacements_;
    ++by_label_[*run.label];
    from = run.end;
    runs_.pop_front();
  }
  held_.erase(0, from - held_start_);
  held_start_ = from;
}

RedactResult Redact(std::string_view text, const RedactionSet& set) {
  // The set outlives this call: share it without owning it.
  StreamRedactor redactor(
      std::shared_ptr<const RedactionSet>(std::shared_ptr<void>(), &set));
  RedactResult result;
  result.text.reserve(text.size());
  redactor.Write(text, &result.text);
  redactor.Finish(&result.text);
  result.replacements = redactor.replacements();
  if (result.replacements > 0)
    result.by_label = redactor.replacements_by_label();
  return result;
}

}  // namespace mcpcred

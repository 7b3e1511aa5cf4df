// Redacts a stream of bytes written in chunks of any size: a value split
// across two chunks is found like any other. Every occurrence of every value
// of a RedactionSet is replaced by [REDACTED:<credential>]; occurrences that
// overlap (of one value or several) become one replacement named after the
// longest value, so that no byte of any occurrence survives.
//
// Output is held back only as long as it may still turn out to be part of a
// value: at most RedactionSet::longest() - 1 bytes beyond the last complete
// replacement.
//
// Thread-compatible: one stream, one thread at a time.
#ifndef MCPCRED_COMMON_STREAM_REDACTOR_H_
#define MCPCRED_COMMON_STREAM_REDACTOR_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "mcpcred/common/redaction_set.h"

namespace mcpcred {

class StreamRedactor {
 public:
  explicit StreamRedactor(std::shared_ptr<const RedactionSet> set);

  // Takes the next chunk; appends to *out what can no longer change.
  void Write(std::string_view chunk, std::string* out);
  // Ends the stream: appends everything still held back. The redactor can
  // then start a new stream.
  void Finish(std::string* out);

  // Replacements made so far (over every stream).
  uint64_t replacements() const { return replacements_; }
  // The same, per credential label (for audit counts); never a value.
  const std::map<std::string, uint64_t, std::less<>>& replacements_by_label()
      const {
    return by_label_;
  }

 private:
  struct Run {
    uint64_t begin;  // absolute stream offsets, [begin, end)
    uint64_t end;
    uint32_t length;         // of the longest value in the run
    uint64_t longest_begin;  // where it begins: the earliest wins a tie
    const std::string* label;
  };

  // Scans what has been taken in as far as it can; returns the offset before
  // which no value can start any more.
  uint64_t Scan();
  // Records the value that ends where the automaton's state says.
  void AddMatch(uint64_t end, uint32_t state);
  // Emits every byte and run that lies wholly before `limit`.
  void Emit(uint64_t limit, std::string* out);
  char At(uint64_t offset) const { return held_[offset - held_start_]; }

  const std::shared_ptr<const RedactionSet> set_;
  // Skipping (window_end_ is the last byte of the next window to look at),
  // or running the automaton (state_, next byte at automaton_at_).
  bool skipping_ = true;
  uint64_t window_end_ = 0;
  uint32_t state_ = 0;
  uint64_t automaton_at_ = 0;
  uint64_t consumed_ = 0;  // bytes taken in so far
  // Bytes taken in but not emitted; held_[0] is at offset held_start_.
  std::string held_;
  uint64_t held_start_ = 0;
  std::deque<Run> runs_;
  uint64_t replacements_ = 0;
  std::map<std::string, uint64_t, std::less<>> by_label_;
};

struct RedactResult {
  std::string text;
  uint64_t replacements = 0;
  // Replacements per credential label; empty when there were none.
  std::map<std::string, uint64_t, std::less<>> by_label;
};

// Redacts a whole text at once.
RedactResult Redact(std::string_view text, const RedactionSet& set);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_STREAM_REDACTOR_H_

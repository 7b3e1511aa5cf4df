// A set of secret values compiled for redaction: every value in each of its
// encoded forms (secret_encodings.h), as
//  - a Wu-Manber skip table over the 3-byte grams of the patterns' first
//    `shortest()` bytes, with which a redactor skips text that cannot hold the
//    start of any value (most text: tens of bytes per look-up), and
//  - an Aho-Corasick automaton with a full transition table over byte
//    classes, which a redactor runs from where the skip table cannot rule a
//    start out until no value is partly matched: one look-up per byte, so
//    hostile text cannot make it slower than linear.
// Built once per set of held values and shared, immutable, by every redactor
// that uses it.
//
// Thread-safe: immutable after Build().
#ifndef MCPCRED_COMMON_REDACTION_SET_H_
#define MCPCRED_COMMON_REDACTION_SET_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mcpcred/common/secret_arena.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {

struct SecretValue {
  SecretString value;
  std::string credential;  // the label: [REDACTED:<credential>]
};

// A value to build a set from, borrowed: building copies no value into
// memory that is not wiped.
struct SecretValueRef {
  std::string_view value;
  std::string_view credential;
};

// Values shorter than this are not redacted in free text: replacing every
// "abc" or "the " in a tool's output would shred it, and real credentials are
// far longer. `mcpcred status` and the agent's log name credentials whose
// values are shorter (they are still handed out, only not masked).
inline constexpr size_t kMinRedactLength = 8;

class RedactionSet {
 public:
  struct Options {
    // Also look for the values' JSON, base64(url) and percent encodings.
    bool encoded_forms = true;
    size_t min_length = kMinRedactLength;
  };

  // The automaton and every encoded form are held in secret memory (wiped
  // when the set goes): they spell the values out. BuildBorrowed takes views
  // of values held elsewhere, and copies none of them.
  static std::shared_ptr<const RedactionSet> BuildBorrowed(
      const std::vector<SecretValueRef>& secrets, const Options& options);
  static std::shared_ptr<const RedactionSet> Build(
      const std::vector<SecretValue>& secrets, const Options& options);
  static std::shared_ptr<const RedactionSet> Build(
      const std::vector<SecretValue>& secrets) {
    return Build(secrets, Options());
  }

  // Credentials with a value too short to be redacted, sorted, unique.
  const std::vector<std::string>& too_short() const { return too_short_; }
  // The longest and the shortest pattern, in bytes; 0 for an empty set.
  size_t longest() const { return longest_; }
  size_t shortest() const { return shortest_; }
  size_t patterns() const { return patterns_; }
  size_t states() const { return match_length_.size(); }

  // The automaton, for StreamRedactor. A transition's high bit says that the
  // state it leads to ends a match.
  static constexpr uint32_t kMatchBit = 0x80000000u;
  uint32_t Next(uint32_t state, uint8_t byte) const {
    return next_[(state & ~kMatchBit) * classes_ + byte_class_[byte]];
  }
  uint32_t MatchLength(uint32_t state) const {
    return match_length_[state & ~kMatchBit];
  }
  const std::string& MatchLabel(uint32_t state) const {
    return labels_[match_label_[state & ~kMatchBit]];
  }
  // How many bytes of a value the automaton is inside of in `state`.
  uint32_t Depth(uint32_t state) const { return depth_[state & ~kMatchBit]; }

  // The skip table: for the `gram()` bytes ending at `at`, how far the end of
  // a `shortest()`-byte window may move on without passing the start of any
  // value; 0 when a value may start `shortest() - 1` bytes before `at`.
  size_t gram() const { return gram_; }
  uint8_t Shift(const char* at) const { return shift_[GramHash(at)]; }

 private:
  RedactionSet() = default;
  uint32_t GramHash(const char* at) const {
    uint32_t h = static_cast<uint8_t>(at[0]);
    for (size_t i = 1; i < gram_; ++i) {
      h = (h << 6) ^ static_cast<uint8_t>(at[-static_cast<ptrdiff_t>(i)]);
    }
    return h & 0xFFFF;
  }

  uint8_t byte_class_[256] = {};
  uint32_t classes_ = 1;
  std::vector<uint32_t, SecretAllocator<uint32_t>> next_;
  // The longest pattern that ends in each state (0: none), and its label.
  std::vector<uint32_t> match_length_;
  std::vector<uint32_t> match_label_;
  std::vector<uint32_t> depth_;
  std::vector<uint8_t> shift_;
  size_t gram_ = 1;
  size_t shortest_ = 0;
  std::vector<std::string> labels_;
  std::vector<std::string> too_short_;
  size_t longest_ = 0;
  size_t patterns_ = 0;
};

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_REDACTION_SET_H_

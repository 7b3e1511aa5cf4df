#include "mcpcred/common/redaction_set.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "mcpcred/common/secret_encodings.h"

namespace mcpcred {

std::shared_ptr<const RedactionSet> RedactionSet::Build(
    const std::vector<SecretValue>& secrets, const Options& options) {
  std::vector<SecretValueRef> refs;
  refs.reserve(secrets.size());
  for (const SecretValue& secret : secrets) {
    refs.push_back({secret.value.view(), secret.credential});
  }
  return BuildBorrowed(refs, options);
}

std::shared_ptr<const RedactionSet> RedactionSet::BuildBorrowed(
    const std::vector<SecretValueRef>& secrets, const Options& options) {
  std::shared_ptr<RedactionSet> set(new RedactionSet());
  const size_t min_length = std::max<size_t>(options.min_length, 1);

  // The patterns, each with the index of its label.
  std::map<std::string, uint32_t, std::less<>> label_index;
  std::vector<std::pair<SecretString, uint32_t>> patterns;
  std::set<std::string, std::less<>> too_short;
  for (const SecretValueRef& secret : secrets) {
    if (secret.value.size() < min_length) {
      if (!secret.value.empty()) too_short.emplace(secret.credential);
      continue;
    }
    auto [it, added] =
        label_index.emplace(std::string(secret.credential),
                            static_cast<uint32_t>(set->labels_.size()));
    if (added) set->labels_.emplace_back(secret.credential);
    std::vector<SecretString> forms;
    if (options.encoded_forms) {
      forms = EncodedForms(secret.value);
    } else {
      forms.emplace_back(secret.value);
    }
    for (SecretString& form : forms) {
      if (form.size() >= min_length) {
        patterns.emplace_back(std::move(form), it->second);
      }
    }
  }
  set->too_short_.assign(too_short.begin(), too_short.end());

  // Byte classes: each byte used by a pattern is its own class; every other
  // byte shares class 0, which always leads back towards the root.
  bool used[256] = {};
  for (const auto& [pattern, label] : patterns) {
    for (char c : pattern) used[static_cast<uint8_t>(c)] = true;
  }
  if (std::count(std::begin(used), std::end(used), true) == 256) {
    // No byte is left for class 0: every byte is a class of its own.
    for (int b = 0; b < 256; ++b) set->byte_class_[b] = static_cast<uint8_t>(b);
    set->classes_ = 256;
  } else {
    for (int b = 0; b < 256; ++b) {
      if (used[b]) set->byte_class_[b] = static_cast<uint8_t>(set->classes_++);
    }
  }
  const uint32_t classes = set->classes_;

  // The trie, as a dense table (-1: no edge yet).
  constexpr uint32_t kNone = 0xFFFFFFFFu;
  auto& next = set->next_;
  std::vector<uint32_t>& length = set->match_length_;
  std::vector<uint32_t>& label = set->match_label_;
  std::vector<uint32_t>& depth = set->depth_;
  next.assign(classes, kNone);
  length.assign(1, 0);
  label.assign(1, 0);
  depth.assign(1, 0);
  for (const auto& [pattern, pattern_label] : patterns) {
    uint32_t state = 0;
    for (char c : pattern) {
      const uint32_t cls = set->byte_class_[static_cast<uint8_t>(c)];
      uint32_t& edge = next[state * classes + cls];
      if (edge == kNone) {
        edge = static_cast<uint32_t>(length.size());
        next.resize(next.size() + classes, kNone);
        length.push_back(0);
        label.push_back(0);
        depth.push_back(depth[state] + 1);
      }
      state = next[state * classes + cls];
    }
    if (length[state] == 0) {  // the first credential named wins a tie
      length[state] = static_cast<uint32_t>(pattern.size());
      label[state] = pattern_label;
      ++set->patterns_;
      set->longest_ = std::max(set->longest_, pattern.size());
    }
  }

  // Failure links in breadth-first order turn the trie into a full
  // automaton; each state inherits the longest match of its failure state
  // when it ends none itself (its own is longer, being a longer suffix).
  std::vector<uint32_t> fail(length.size(), 0);
  std::deque<uint32_t> queue;
  for (uint32_t cls = 0; cls < classes; ++cls) {
    uint32_t& edge = next[cls];
    if (edge == kNone) {
      edge = 0;
    } else {
      fail[edge] = 0;
      queue.push_back(edge);
    }
  }
  while (!queue.empty()) {
    const uint32_t state = queue.front();
    queue.pop_front();
    if (length[state] == 0 && length[fail[state]] != 0) {
      length[state] = length[fail[state]];
      label[state] = label[fail[state]];
    }
    for (uint32_t cls = 0; cls < classes; ++cls) {
      uint32_t& edge = next[state * classes + cls];
      const uint32_t fallback = next[fail[state] * classes + cls] & ~kMatchBit;
      if (edge == kNone) {
        edge = fallback;
      } else {
        fail[edge] = fallback;
        queue.push_back(edge);
      }
    }
  }
  for (uint32_t& edge : next) {
    if (length[edge] != 0) edge |= kMatchBit;
  }

  // The skip table over each pattern's first `shortest` bytes.
  if (set->patterns_ > 0) {
    size_t shortest = set->longest_;
    for (const auto& [pattern, l] : patterns) {
      shortest = std::min(shortest, pattern.size());
    }
    set->shortest_ = shortest;
    set->gram_ = std::min<size_t>(3, shortest);
    const size_t most = std::min<size_t>(shortest - set->gram_ + 1, 255);
    set->shift_.assign(0x10000, static_cast<uint8_t>(most));
    for (const auto& [pattern, l] : patterns) {
      for (size_t end = set->gram_ - 1; end < shortest; ++end) {
        uint8_t& shift = set->shift_[set->GramHash(pattern.data() + end)];
        shift =
            static_cast<uint8_t>(std::min<size_t>(shift, shortest - 1 - end));
      }
    }
  }
  return set;
}

}  // namespace mcpcred

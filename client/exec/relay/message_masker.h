// Masks secret values in what a server sends its host. A JSON-RPC message is
// masked inside its strings (object keys too) and numbers, then written
// again, so the host still gets valid JSON-RPC; a line that is not JSON is
// masked as raw bytes. Each value, in every form RedactionSet knows (plain,
// JSON-escaped, base64, base64url, percent-encoded), becomes
// [REDACTED:<credential>].
//
// A message in which nothing is found is passed on byte for byte: masking
// costs one scan of the line on the common path.
//
// Thread-compatible: the relay's event loop owns it.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_MESSAGE_MASKER_H_
#define MCPCRED_CLIENT_EXEC_RELAY_MESSAGE_MASKER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "mcpcred/common/redaction_set.h"
#include "relay/jsonrpc.h"

namespace mcpcred::exec::relay {

class MessageMasker {
 public:
  using Counts = std::map<std::string, uint64_t, std::less<>>;

  // A null or empty set masks nothing (--no-mask).
  explicit MessageMasker(std::shared_ptr<const RedactionSet> set = nullptr);

  // Replaces the values to look for (the agent's held values changed).
  void SetRedactionSet(std::shared_ptr<const RedactionSet> set);
  const std::shared_ptr<const RedactionSet>& redaction_set() const {
    return set_;
  }

  // The line to send for a message that arrived as `raw` and parsed into
  // `*json` (null when it is not JSON). `modified`: the caller changed
  // `*json` (e.g. remapped its id), so it must be written again anyway.
  // Without '\n'.
  std::string Render(std::string_view raw, Json* json, bool modified);

  // Masks the strings and numbers inside `*json`; returns whether any
  // changed. A number that holds a value becomes a string.
  bool MaskJson(Json* json);
  // `text` with every value replaced.
  std::string MaskText(std::string_view text);

  // Replacements since the last TakeCounts(), per credential, and in all.
  Counts TakeCounts();
  uint64_t total() const { return total_; }

 private:
  bool Enabled() const { return set_ != nullptr && set_->patterns() > 0; }
  // Redacts `*text` in place; returns whether it changed.
  bool MaskString(std::string* text);
  void Count(const Counts& counts);

  std::shared_ptr<const RedactionSet> set_;
  Counts counts_;
  uint64_t total_ = 0;
};

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_MESSAGE_MASKER_H_

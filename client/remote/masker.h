// Masks secret values in what the bridge sends to the host: every value of
// the credential it injected (token and secret headers, each value it has
// used this session) and every value the agent masks (GetRedactionValues),
// in plain and encoded forms (redaction_set.h).
//
// A JSON-RPC message is masked inside its JSON string values and keys (the
// decoded strings, so no escape hides a value) and re-serialized only if
// something changed or it spans several lines; text that is not JSON is
// masked as raw text. The result is always one line.
//
// Thread-safe.
#ifndef MCPCRED_CLIENT_REMOTE_MASKER_H_
#define MCPCRED_CLIENT_REMOTE_MASKER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "mcpcred/common/redaction_set.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred::remote {

using RedactionCounts = std::map<std::string, uint64_t>;

class Masker {
 public:
  // Adds the credential's token and secret header values; returns true if
  // this value (name and version) was new.
  bool AddCredential(const v1::Credential& credential);
  // Replaces the agent's values (and its minimum length).
  void SetAgentValues(const v1::GetRedactionValuesResponse& values);

  // `message` masked, on one line.
  std::string Mask(std::string_view message);

  // Replacements since the last call, per credential.
  RedactionCounts TakeCounts();

 private:
  void Rebuild() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::shared_ptr<const RedactionSet> set() const;
  void Count(const RedactionCounts& counts);

  mutable absl::Mutex mu_;
  std::set<std::pair<std::string, uint64_t>> versions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> own_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> agent_ ABSL_GUARDED_BY(mu_);
  size_t min_length_ ABSL_GUARDED_BY(mu_) = kMinRedactLength;
  std::shared_ptr<const RedactionSet> set_ ABSL_GUARDED_BY(mu_);
  RedactionCounts counts_ ABSL_GUARDED_BY(mu_);
};

// How many times each "[REDACTED:<credential>]" label occurs in `text`.
RedactionCounts CountLabels(std::string_view text);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_MASKER_H_

// Replaces secret values in text with [REDACTED:<credential>], so a host can
// scrub tool output and transcripts before they reach a model.
#ifndef MCPCRED_AGENT_POLICY_REDACTOR_H_
#define MCPCRED_AGENT_POLICY_REDACTOR_H_

#include <string>
#include <vector>

namespace mcpcred {

struct SecretValue {
  std::string value;
  std::string credential;
};

// Values shorter than this are not redacted: a 1-3 character "secret" would
// shred ordinary text, and real credentials are far longer.
inline constexpr size_t kMinRedactLength = 4;

struct RedactResult {
  std::string text;
  unsigned replacements = 0;
};

// Replaces every occurrence of every value. Occurrences that overlap (of one
// value or of several) become one replacement named after the longest value,
// so no byte of any occurrence survives. Runs in O(text length x number of
// values).
RedactResult Redact(const std::string& text, std::vector<SecretValue> secrets);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_REDACTOR_H_

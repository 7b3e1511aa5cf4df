#include "agent/policy/redactor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mcpcred {
namespace {

struct Match {
  size_t begin;
  size_t end;
  const SecretValue* secret;
};

}  // namespace

RedactResult Redact(const std::string& text, std::vector<SecretValue> secrets) {
  std::erase_if(secrets, [](const SecretValue& s) {
    return s.value.size() < kMinRedactLength;
  });
  // Every occurrence of every value, overlapping ones included: a byte that
  // belongs to any occurrence must not survive.
  std::vector<Match> matches;
  for (const SecretValue& secret : secrets) {
    for (size_t at = text.find(secret.value); at != std::string::npos;
         at = text.find(secret.value, at + 1)) {
      matches.push_back({at, at + secret.value.size(), &secret});
    }
  }
  std::sort(matches.begin(), matches.end(),
            [](const Match& a, const Match& b) { return a.begin < b.begin; });

  RedactResult result;
  result.text.reserve(text.size());
  size_t pos = 0;
  for (size_t i = 0; i < matches.size();) {
    // Merge overlapping occurrences into one run, named after its longest
    // value.
    size_t begin = matches[i].begin;
    size_t end = matches[i].end;
    const SecretValue* longest = matches[i].secret;
    for (++i; i < matches.size() && matches[i].begin < end; ++i) {
      end = std::max(end, matches[i].end);
      if (matches[i].secret->value.size() > longest->value.size()) {
        longest = matches[i].secret;
      }
    }
    result.text.append(text, pos, begin - pos);
    absl::StrAppend(&result.text, "[REDACTED:", longest->credential, "]");
    pos = end;
    ++result.replacements;
  }
  result.text.append(text, pos, std::string::npos);
  return result;
}

}  // namespace mcpcred

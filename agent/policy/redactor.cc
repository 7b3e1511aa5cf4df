#include "agent/policy/redactor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mcpcred {

RedactResult Redact(const std::string& text, std::vector<SecretValue> secrets) {
  std::erase_if(secrets, [](const SecretValue& s) {
    return s.value.size() < kMinRedactLength;
  });
  // Longest first, so a value that contains another is replaced whole.
  std::sort(secrets.begin(), secrets.end(),
            [](const SecretValue& a, const SecretValue& b) {
              return a.value.size() > b.value.size();
            });
  RedactResult result;
  result.text.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const SecretValue* match = nullptr;
    for (const SecretValue& secret : secrets) {
      if (text.compare(pos, secret.value.size(), secret.value) == 0) {
        match = &secret;
        break;
      }
    }
    if (match == nullptr) {
      result.text.push_back(text[pos++]);
      continue;
    }
    absl::StrAppend(&result.text, "[REDACTED:", match->credential, "]");
    pos += match->value.size();
    ++result.replacements;
  }
  return result;
}

}  // namespace mcpcred

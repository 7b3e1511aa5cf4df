#include "agent/config/env_expand.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "agent/config/validation.h"

namespace mcpcred::config {

absl::StatusOr<std::string> ExpandEnvVars(absl::string_view text,
                                          std::vector<Expansion>* used) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (absl::string_view(text.substr(i, 3)) == "$${") {
      out += "${";
      i += 3;
      continue;
    }
    if (absl::string_view(text.substr(i, 2)) != "${") {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          "unclosed \"${\" (write \"$${\" for a literal \"${\")");
    }
    const std::string name(text.substr(i + 2, close - i - 2));
    if (!IsValidEnvName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"${", name, "}\" is not a valid environment variable reference"));
    }
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("environment variable \"", name, "\" is not set"));
    }
    out += value;
    i = close + 1;
    if (used == nullptr || *value == '\0') continue;
    Expansion expansion{value, absl::StrCat("${", name, "}")};
    if (std::none_of(used->begin(), used->end(), [&](const Expansion& e) {
          return e.reference == expansion.reference;
        })) {
      used->push_back(std::move(expansion));
    }
  }
  return out;
}

std::string HideExpansions(absl::string_view message,
                           const std::vector<Expansion>& used) {
  std::vector<std::pair<absl::string_view, absl::string_view>> replacements;
  for (const Expansion& e : used)
    replacements.emplace_back(e.value, e.reference);
  // At one position StrReplaceAll takes the longest match, so "/opt/tools"
  // is hidden whole rather than a shorter "/opt" in it.
  return absl::StrReplaceAll(message, replacements);
}

absl::Status HideExpansions(const absl::Status& status,
                            const std::vector<Expansion>& used) {
  std::string message = HideExpansions(status.message(), used);
  if (message == status.message()) return status;
  absl::Status hidden(status.code(), message);
  status.ForEachPayload(
      [&hidden](absl::string_view url, const absl::Cord& payload) {
        hidden.SetPayload(url, payload);
      });
  return hidden;
}

}  // namespace mcpcred::config

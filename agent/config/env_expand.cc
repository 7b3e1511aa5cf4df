#include "agent/config/env_expand.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/config/validation.h"

namespace mcpcred::config {

absl::StatusOr<std::string> ExpandEnvVars(absl::string_view text) {
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
  }
  return out;
}

}  // namespace mcpcred::config

#include "diagnostics.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "tool_util.h"

namespace mcpcred::remote {

void Say(absl::string_view line) {
  // ErrorLine keeps it to one line; one fwrite keeps it whole.
  std::string text = ErrorLine("mcpcred-remote", line);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace mcpcred::remote

// Template::Render for fuzzers, whose values and results are plain strings
// (the fuzzers compare and print them; nothing there is a real secret).
#ifndef MCPCRED_TESTS_FUZZ_RENDER_PLAIN_H_
#define MCPCRED_TESTS_FUZZ_RENDER_PLAIN_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "agent/config/template.h"

namespace mcpcred::fuzz {

inline absl::StatusOr<std::string> RenderPlain(
    const config::Template& tmpl,
    const std::map<std::string, std::string>& values) {
  std::map<std::string, SecretString> secrets;
  for (const auto& [name, value] : values) secrets[name].assign(value);
  absl::StatusOr<SecretString> rendered = tmpl.Render(secrets);
  if (!rendered.ok()) return rendered.status();
  return rendered->ToUnwipedString();
}

}  // namespace mcpcred::fuzz

#endif  // MCPCRED_TESTS_FUZZ_RENDER_PLAIN_H_

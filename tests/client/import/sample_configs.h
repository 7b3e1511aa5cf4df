// The sample host configs of testdata/, one per documented format, with
// their secrets filled in: @S1@ ... @S16@ stand for secrets, so that a test
// chooses them (the integration tests use the fixture's random secrets and
// so get its leak checks).
#ifndef MCPCRED_TESTS_CLIENT_IMPORT_SAMPLE_CONFIGS_H_
#define MCPCRED_TESTS_CLIENT_IMPORT_SAMPLE_CONFIGS_H_

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace mcpcred::testing {

inline constexpr int kSampleSecrets = 16;

inline std::string SampleDir() { return MCPCRED_IMPORT_TESTDATA; }

inline std::string ReadSampleFile(const std::string& name) {
  std::ifstream in(SampleDir() + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// testdata/NAME with @Sn@ replaced by secrets[n-1].
inline std::string Sample(const std::string& name,
                          const std::vector<std::string>& secrets) {
  std::string text = ReadSampleFile(name);
  // From the highest: @S1@ is not a prefix of @S10@, but be plain about it.
  for (int n = kSampleSecrets; n >= 1; --n) {
    absl::StrReplaceAll({{absl::StrCat("@S", n, "@"), secrets[n - 1]}}, &text);
  }
  return text;
}

// Fixed secrets for unit tests: "unit-secret-NN-0123456789abcdef".
inline std::vector<std::string> UnitSecrets() {
  std::vector<std::string> secrets;
  for (int n = 1; n <= kSampleSecrets; ++n) {
    secrets.push_back(absl::StrCat("unit-secret-", n < 10 ? "0" : "", n,
                                   "-0123456789abcdef"));
  }
  return secrets;
}

// Where each sample goes below a test's HOME / XDG_CONFIG_HOME / project
// directory, and the host that reads it there.
struct SamplePlace {
  std::string sample;
  std::string root;  // "home", "config" or "project"
  std::string path;  // below root
  std::string host;
};

// For gtest's messages.
inline void PrintTo(const SamplePlace& place, std::ostream* out) {
  *out << place.sample;
}

inline const std::vector<SamplePlace>& SamplePlaces() {
  static const std::vector<SamplePlace> places = {
      {"claude.json", "home", ".claude.json", "Claude Code"},
      {"dot-mcp.json", "project", ".mcp.json", "Claude Code"},
      {"claude_desktop_config.json", "config",
       "Claude/claude_desktop_config.json", "Claude Desktop"},
      {"vscode-workspace-mcp.json", "project", ".vscode/mcp.json", "VS Code"},
      {"vscode-user-mcp.json", "config", "Code/User/mcp.json", "VS Code"},
      {"cursor-mcp.json", "home", ".cursor/mcp.json", "Cursor"},
      {"gptme-config.toml", "config", "gptme/config.toml", "gptme"},
      {"gptme-project.toml", "project", "gptme.toml", "gptme"},
      {"zed-settings.json", "config", "zed/settings.json", "Zed"},
  };
  return places;
}

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_CLIENT_IMPORT_SAMPLE_CONFIGS_H_

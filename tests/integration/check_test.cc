// `mcpcred-agent --check`: validates a config the way the agent would start
// with it, prints one line per problem (file and line where known) and exits
// 1, or "PATH: ok" and 0; it serves nothing and writes nothing.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

class CheckTest : public AgentTest {
 protected:
  // `mcpcred-agent --check --config config_path()` plus `extra_args`.
  CommandResult Check(const std::vector<std::string>& extra_args = {},
                      const Environment& env_overrides = {}) {
    CommandSpec spec;
    spec.argv = {AgentBinary(), "--check", "--config", config_path()};
    spec.argv.insert(spec.argv.end(), extra_args.begin(), extra_args.end());
    spec.env = BaseEnv();
    for (const auto& [name, value] : env_overrides) spec.env[name] = value;
    CommandResult result = RunCommand(spec);
    EXPECT_FALSE(ContainsSecret(result.out + result.err)) << Show(result);
    // Nothing was served, so nothing was made for a socket.
    EXPECT_FALSE(Exists(socket_dir())) << "--check made " << socket_dir();
    EXPECT_FALSE(Exists(socket_path())) << "--check made " << socket_path();
    return result;
  }

  // Expects exit 1 and exactly one line on stderr, starting with `prefix`
  // and containing `detail`.
  void ExpectOneProblem(const CommandResult& result, const std::string& prefix,
                        const std::string& detail) {
    EXPECT_EQ(result.exit_code, 1) << Show(result);
    EXPECT_EQ(result.out, "") << Show(result);
    std::vector<std::string> lines =
        absl::StrSplit(result.err, '\n', absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 1u) << Show(result);
    EXPECT_TRUE(absl::StartsWith(lines[0], prefix))
        << "expected a line starting with " << prefix << ":\n"
        << Show(result);
    EXPECT_TRUE(absl::StrContains(lines[0], detail))
        << "expected " << detail << " in:\n"
        << Show(result);
  }
};

TEST_F(CheckTest, AGoodConfigIsOkAndStartsNothing) {
  WriteConfig(StaticCredentialToml("gh") + StaticCredentialToml("linear"));
  CommandResult result = Check();
  EXPECT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(result.out, config_path() + ": ok (2 credentials)\n")
      << Show(result);
  EXPECT_EQ(result.err, "") << Show(result);
}

TEST_F(CheckTest, BrokenTomlNamesFileAndLine) {
  WriteConfig(
      "[credential.gh]\n"
      "provider = \"static\"\n"
      "secret = \"env:ITEST_SECRET\n");
  ExpectOneProblem(Check(), config_path() + ":3:", "");
}

TEST_F(CheckTest, AnUnknownProviderIsAProblem) {
  WriteConfig(StaticCredentialToml("gh") +
              "[credential.vault]\n"
              "provider = \"hashicorp\"\n");
  ExpectOneProblem(Check(), config_path() + ":7: credential \"vault\"",
                   "unknown provider \"hashicorp\"");
}

TEST_F(CheckTest, AnUnknownKeyIsAProblem) {
  WriteConfig(
      "[credential.gh]\n"
      "provider = \"static\"\n"
      "secrte = \"env:ITEST_SECRET\"\n");
  ExpectOneProblem(Check(), config_path() + ":3: credential \"gh\"",
                   "key \"secrte\"");
}

// The provider's own validation, in its create(): here, the static provider
// resolving an env: reference that is unset.
TEST_F(CheckTest, WhatTheProviderRefusesIsAProblem) {
  WriteConfig(StaticCredentialToml("gh", "ITEST_UNSET_VARIABLE"));
  ExpectOneProblem(Check(), config_path() + ":3: credential \"gh\"",
                   "key \"secret\"");
}

TEST_F(CheckTest, EveryBrokenCredentialGetsItsOwnLine) {
  WriteConfig(StaticCredentialToml("a", "ITEST_UNSET_VARIABLE") +
              StaticCredentialToml("b") +
              StaticCredentialToml("c", "ITEST_UNSET_VARIABLE"));
  CommandResult result = Check();
  EXPECT_EQ(result.exit_code, 1) << Show(result);
  std::vector<std::string> lines =
      absl::StrSplit(result.err, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << Show(result);
  EXPECT_TRUE(absl::StrContains(lines[0], "credential \"a\"")) << Show(result);
  EXPECT_TRUE(absl::StrContains(lines[1], "credential \"c\"")) << Show(result);
}

TEST_F(CheckTest, AMissingConfigIsAProblem) {
  ExpectOneProblem(Check(), "config file " + config_path(), "not found");
}

// A provider that reads a keyring: reference while being created gets the
// store read-only: the missing entry is reported and nothing is written (the
// file store would otherwise create its key and file on a write).
TEST_F(CheckTest, TheStoreIsReadButNeverWritten) {
  WriteConfig(
      "[store]\n"
      "backend = \"file\"\n"
      "[credential.api]\n"
      "provider = \"oauth2\"\n"
      "resource = \"https://mcp.example.com/mcp\"\n"
      "client_id = \"mcpcred-test\"\n"
      "client_secret = \"keyring:api-client\"\n");
  ExpectOneProblem(Check(), config_path() + ":7: credential \"api\"",
                   "mcpcred add api-client");
  EXPECT_FALSE(Exists(base_dir() + "/state/mcpcred"))
      << "--check wrote to the state directory";
}

TEST_F(CheckTest, ExcludesTheServingModes) {
  WriteConfig(StaticCredentialToml("gh"));
  CommandResult result = Check({"-D"});
  EXPECT_EQ(result.exit_code, 2) << Show(result);
  EXPECT_TRUE(absl::StrContains(result.err, "exclude each other"))
      << Show(result);
}

}  // namespace
}  // namespace mcpcred::testing

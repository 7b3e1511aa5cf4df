// mcpcred-exec against a real agent: the child gets the credentials' env and
// MCPCRED_SECRET_KEYS, its exit status passes through, its stdout stays its
// own, and on any error the child is never started.
#include <sys/stat.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

class ExecTest : public AgentTest {
 protected:
  // "gh" (GITHUB_TOKEN, from secret()) and "linear" (LINEAR_API_KEY, from
  // linear_secret_).
  void StartAgentWithTwoCredentials() {
    linear_secret_ = NewSecret();
    WriteConfig(StaticCredentialToml("gh") +
                "[credential.linear]\n"
                "provider = \"static\"\n"
                "secret = \"env:ITEST_LINEAR\"\n"
                "env = { LINEAR_API_KEY = \"{secret}\" }\n");
    ASSERT_NE(StartAgent({}, {{"ITEST_LINEAR", linear_secret_}}), nullptr);
  }

  // A command that creates marker_path() if it ever runs.
  std::vector<std::string> MarkerCommand() const {
    return {"/bin/sh", "-c", "touch \"$0\"", marker_path()};
  }
  std::string marker_path() const { return base_dir() + "/child-ran"; }
  bool MarkerExists() const {
    struct stat st;
    return stat(marker_path().c_str(), &st) == 0;
  }

  std::string linear_secret_;
};

TEST_F(ExecTest, ChildGetsTheCredentialsEnvironment) {
  ASSERT_NO_FATAL_FAILURE(StartAgentWithTwoCredentials());
  std::string report = base_dir() + "/child-env";

  // The child writes what it got to a file: its stdout is not for us.
  CommandResult result =
      Exec({"gh", "linear", "--", "/bin/sh", "-c",
            "printf '%s\\n' \"$GITHUB_TOKEN\" \"$LINEAR_API_KEY\" "
            "\"$MCPCRED_SECRET_KEYS\" \"$ITEST_INHERITED\" > \"$0\"",
            report},
           {{"GITHUB_TOKEN", "inherited-value"}, {"ITEST_INHERITED", "kept"}});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(result.out, "") << "mcpcred-exec must not write to stdout";
  EXPECT_EQ(result.err, "");
  std::vector<std::string> got = absl::StrSplit(ReadFileOrEmpty(report), '\n');
  ASSERT_EQ(got.size(), 5u) << Hide(ReadFileOrEmpty(report));
  // A credential's key wins over an inherited one.
  EXPECT_TRUE(got[0] == secret())
      << "GITHUB_TOKEN differs (secrets hidden): " << Hide(got[0]);
  EXPECT_TRUE(got[1] == linear_secret_)
      << "LINEAR_API_KEY differs (secrets hidden): " << Hide(got[1]);
  std::vector<std::string> keys = absl::StrSplit(got[2], ',');
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()),
            (std::set<std::string>{"GITHUB_TOKEN", "LINEAR_API_KEY"}));
  EXPECT_EQ(got[3], "kept") << "the rest of the environment is inherited";
}

// With MCPCRED_SOCK the child could ask the agent for every credential.
TEST_F(ExecTest, ChildGetsTheSocketOnlyWhenAskedFor) {
  ASSERT_NO_FATAL_FAILURE(StartAgentWithTwoCredentials());
  std::string report = base_dir() + "/child-sock";
  std::vector<std::string> child = {
      "/bin/sh", "-c", "printf '%s\\n' \"${MCPCRED_SOCK-unset}\" > \"$0\"",
      report};

  std::vector<std::string> args = {"gh", "--"};
  args.insert(args.end(), child.begin(), child.end());
  CommandResult result = Exec(args);
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(ReadFileOrEmpty(report), "unset\n");

  // --pass-socket passes the socket mcpcred-exec used, here from --socket.
  args = {"--pass-socket", "--socket", socket_path(), "gh", "--"};
  args.insert(args.end(), child.begin(), child.end());
  result = Exec(args, {{"MCPCRED_SOCK", ""}});
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(ReadFileOrEmpty(report), socket_path() + "\n");
}

TEST_F(ExecTest, ChildStdoutPassesThroughUntouched) {
  ASSERT_NO_FATAL_FAILURE(StartAgentWithTwoCredentials());

  CommandResult result =
      Exec({"gh", "--", "/bin/sh", "-c",
            "printf '{\"jsonrpc\":\"2.0\"}\\n'; printf 'to stderr\\n' >&2"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(result.out, "{\"jsonrpc\":\"2.0\"}\n");
  EXPECT_EQ(result.err, "to stderr\n");
}

TEST_F(ExecTest, ExitStatusIsTheChilds) {
  ASSERT_NO_FATAL_FAILURE(StartAgentWithTwoCredentials());

  CommandResult seven = Exec({"gh", "--", "/bin/sh", "-c", "exit 7"});
  EXPECT_EQ(seven.exit_code, 7) << Show(seven);
  EXPECT_EQ(seven.out, "");

  CommandResult zero = Exec({"gh", "--", "/bin/true"});
  EXPECT_EQ(zero.exit_code, 0) << Show(zero);
}

TEST_F(ExecTest, UnknownCredentialDoesNotStartTheCommand) {
  ASSERT_NO_FATAL_FAILURE(StartAgentWithTwoCredentials());

  for (const std::vector<std::string>& names :
       {std::vector<std::string>{"no-such-credential"},
        std::vector<std::string>{"gh", "no-such-credential"}}) {
    std::vector<std::string> args = names;
    args.push_back("--");
    for (const std::string& arg : MarkerCommand()) args.push_back(arg);

    CommandResult result = Exec(args);

    EXPECT_NE(result.exit_code, 0) << Show(result);
    EXPECT_EQ(result.exit_code, 4) << "NOT_FOUND: " << Show(result);
    EXPECT_FALSE(MarkerExists()) << "COMMAND ran after an error";
    EXPECT_EQ(result.out, "") << "mcpcred-exec must not write to stdout";
    EXPECT_TRUE(absl::StrContains(result.err, "no-such-credential"))
        << Show(result);
  }
}

TEST_F(ExecTest, NoAgentDoesNotStartTheCommand) {
  std::vector<std::string> args = {"gh", "--"};
  for (const std::string& arg : MarkerCommand()) args.push_back(arg);

  CommandResult result = Exec(args);

  EXPECT_EQ(result.exit_code, 3) << Show(result);
  EXPECT_FALSE(MarkerExists()) << "COMMAND ran without its credential";
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(absl::StrContains(result.err, "mcpcred-agent -s"))
      << Show(result);
}

TEST_F(ExecTest, UsageErrorWritesNothingToStdout) {
  CommandResult result = Exec({"gh", "/bin/true"});  // No "--".

  EXPECT_EQ(result.exit_code, 2) << Show(result);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err, "");
}

}  // namespace
}  // namespace mcpcred::testing

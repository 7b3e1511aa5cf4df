// Reloading the config (SIGHUP and `mcpcred reload`): a broken config is
// reported and the old one keeps serving; a fixed one takes effect.
#include <signal.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

// An unterminated string on line 3.
constexpr char kBrokenConfig[] =
    "[credential.gh]\n"
    "provider = \"static\"\n"
    "secret = \"env:ITEST_SECRET\n"
    "env = { GITHUB_TOKEN = \"{secret}\" }\n";

class ReloadTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    new_secret_ = NewSecret();
    WriteConfig(StaticCredentialToml("gh"));
    agent_ = StartAgent({}, {{"ITEST_NEW_SECRET", new_secret_}});
  }

  // The old config plus credential "fresh", whose secret is new_secret_.
  static std::string FixedConfig() {
    return StaticCredentialToml("gh") +
           "[credential.fresh]\n"
           "provider = \"static\"\n"
           "secret = \"env:ITEST_NEW_SECRET\"\n"
           "env = { FRESH_TOKEN = \"{secret}\" }\n";
  }

  void ExpectToken(const std::string& name, const std::string& expected) {
    CommandResult result = Cli({"token", name});
    EXPECT_EQ(result.exit_code, 0) << name << ": " << Show(result);
    EXPECT_TRUE(result.out == expected + "\n")
        << name << ": token differs (secrets hidden): " << Hide(result.out);
  }

  AgentProcess* agent_ = nullptr;
  std::string new_secret_;
};

TEST_F(ReloadTest, SighupWithABrokenConfigKeepsTheOldOneThenTakesAFixedOne) {
  ASSERT_NE(agent_, nullptr);
  ExpectToken("gh", secret());

  WriteConfig(kBrokenConfig);
  ASSERT_TRUE(agent_->Signal(SIGHUP).ok());
  ASSERT_TRUE(WaitForLog(agent_, "reload failed"))
      << "no reload failure logged:\n"
      << Hide(agent_->Log());

  EXPECT_TRUE(agent_->Running());
  EXPECT_TRUE(absl::StrContains(agent_->Log(), config_path() + ":3"))
      << "the error should name the file and line:\n"
      << Hide(agent_->Log());
  ExpectToken("gh", secret());
  CommandResult missing = Cli({"token", "fresh"});
  EXPECT_EQ(missing.exit_code, 4) << Show(missing);

  WriteConfig(FixedConfig());
  ASSERT_TRUE(agent_->Signal(SIGHUP).ok());
  ASSERT_TRUE(WaitForLog(agent_, "reloaded " + config_path()))
      << "no reload logged:\n"
      << Hide(agent_->Log());

  ExpectToken("fresh", new_secret_);
  ExpectToken("gh", secret());
}

TEST_F(ReloadTest, ReloadCommandWithABrokenConfigFailsNamingFileAndLine) {
  ASSERT_NE(agent_, nullptr);
  ExpectToken("gh", secret());

  WriteConfig(kBrokenConfig);
  CommandResult reload = Cli({"reload"});

  EXPECT_NE(reload.exit_code, 0) << Show(reload);
  EXPECT_TRUE(absl::StrContains(reload.err, config_path() + ":3"))
      << Show(reload);
  EXPECT_EQ(reload.out, "");
  EXPECT_TRUE(agent_->Running());
  ExpectToken("gh", secret());

  WriteConfig(FixedConfig());
  CommandResult fixed = Cli({"reload"});

  EXPECT_EQ(fixed.exit_code, 0) << Show(fixed);
  EXPECT_TRUE(absl::StrContains(fixed.out, "2 credentials")) << Show(fixed);
  ExpectToken("fresh", new_secret_);
}

// A config that parses but has one bad credential is not a broken config:
// the rest reloads, and the bad one is reported (file, line, key) and shows
// as an error, as at start.
TEST_F(ReloadTest, ReloadReportsABadCredentialAndLoadsTheRest) {
  ASSERT_NE(agent_, nullptr);

  WriteConfig(FixedConfig() +            // lines 1-9
              "\n"                       // line 10
              "[credential.odd]\n"       // line 11
              "provider = \"static\"\n"  // line 12
              "secret = \"env:ITEST_SECRET\"\n"
              "colour = \"blue\"\n");  // line 14
  CommandResult reload = Cli({"reload"});

  EXPECT_EQ(reload.exit_code, 0) << Show(reload);
  EXPECT_TRUE(absl::StrContains(reload.out, config_path() + ":14"))
      << Show(reload);
  EXPECT_TRUE(absl::StrContains(reload.out, "colour")) << Show(reload);
  ExpectToken("gh", secret());
  ExpectToken("fresh", new_secret_);
  CommandResult list = Cli({"list"});
  EXPECT_TRUE(absl::StrContains(list.out, "odd")) << Show(list);
  EXPECT_TRUE(absl::StrContains(list.out, config_path() + ":14")) << Show(list);
  CommandResult odd = Cli({"token", "odd"});
  EXPECT_NE(odd.exit_code, 0) << Show(odd);
  EXPECT_TRUE(absl::StrContains(odd.err, "colour")) << Show(odd);
}

TEST_F(ReloadTest, ReloadPicksUpAChangedSecretSource) {
  ASSERT_NE(agent_, nullptr);
  ExpectToken("gh", secret());

  // Same credential, now reading the other variable.
  WriteConfig(StaticCredentialToml("gh", "ITEST_NEW_SECRET"));
  CommandResult reload = Cli({"reload"});
  ASSERT_EQ(reload.exit_code, 0) << Show(reload);

  ExpectToken("gh", new_secret_);
}

}  // namespace
}  // namespace mcpcred::testing

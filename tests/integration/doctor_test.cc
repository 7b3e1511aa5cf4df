// `mcpcred doctor` against a real agent: one line per check, "ok: ..." or
// "problem: ..." saying how to fix it, and a non-zero exit when anything
// needs fixing.
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/client/import/sample_configs.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

class DoctorTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    std::filesystem::create_directories(work_dir());
    WriteConfig(StaticCredentialToml("gh"));
    ASSERT_EQ(chmod(config_path().c_str(), 0600), 0);
  }
  std::string work_dir() const { return base_dir() + "/work"; }

  CommandResult Doctor() { return CliIn(work_dir(), {"doctor"}); }

  static bool HasLine(const std::string& out, absl::string_view prefix,
                      absl::string_view part) {
    for (absl::string_view line : absl::StrSplit(out, '\n')) {
      if (absl::StartsWith(line, prefix) && absl::StrContains(line, part)) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(DoctorTest, AllOk) {
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Doctor();

  EXPECT_EQ(result.exit_code, 0) << Show(result);
  for (absl::string_view line :
       absl::StrSplit(result.out, '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StartsWith(line, "ok: ")) << line;
  }
  EXPECT_TRUE(HasLine(result.out, "ok: ", "the agent is running"))
      << Show(result);
  EXPECT_TRUE(HasLine(result.out, "ok: ", "every credential is usable (1)"))
      << Show(result);
  EXPECT_TRUE(HasLine(result.out, "ok: ", "no literal secret")) << Show(result);
}

TEST_F(DoctorTest, AgentDown) {
  CommandResult result = Doctor();

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_TRUE(HasLine(result.out, "problem: ", "the agent is not running"))
      << Show(result);
}

TEST_F(DoctorTest, PermissionsTooOpen) {
  ASSERT_NE(StartAgent(), nullptr);
  ASSERT_EQ(chmod(config_path().c_str(), 0666), 0);
  ASSERT_EQ(chmod(socket_dir().c_str(), 0755), 0);

  CommandResult result = Doctor();

  ASSERT_EQ(chmod(socket_dir().c_str(), 0700), 0);
  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_TRUE(HasLine(result.out, "problem: ", "chmod go-w " + config_path()))
      << Show(result);
  EXPECT_TRUE(HasLine(result.out, "problem: ", "chmod 700 " + socket_dir()))
      << Show(result);
}

TEST_F(DoctorTest, SecretsInAHostConfig) {
  ASSERT_NE(StartAgent(), nullptr);
  std::vector<std::string> secrets = {secret()};
  while (secrets.size() < static_cast<size_t>(kSampleSecrets)) {
    secrets.push_back(NewSecret());
  }
  std::filesystem::create_directories(base_dir() + "/home/.cursor");
  WriteFileOrDie(base_dir() + "/home/.cursor/mcp.json",
                 Sample("cursor-mcp.json", secrets));

  CommandResult result = Doctor();

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_TRUE(HasLine(result.out, "problem: ",
                      "2 secrets in ~/.cursor/mcp.json: run 'mcpcred import'"))
      << Show(result);
}

TEST_F(DoctorTest, ACredentialNeedingALogin) {
  // The test provider "counter" reports that a login is needed at its
  // first fetch.
  WriteConfig(
      "[credential.remote]\n"
      "provider = \"counter\"\n"
      "fail_after = 0\n"
      "fail_with = \"login_required\"\n"
      "headers = { Authorization = \"Bearer {access_token}\" }\n");
  ASSERT_EQ(chmod(config_path().c_str(), 0600), 0);
  ASSERT_NE(StartAgent(), nullptr);
  CommandResult token = Cli({"token", "remote"});
  ASSERT_EQ(token.exit_code, 5) << Show(token);

  CommandResult result = Doctor();

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_TRUE(HasLine(result.out, "problem: ",
                      "credential \"remote\" needs a login: run 'mcpcred "
                      "login remote'"))
      << Show(result);
}

}  // namespace
}  // namespace mcpcred::testing

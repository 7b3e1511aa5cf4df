// `lifetime = "..."` and `mcpcred-agent -t`: the agent forgets what it
// obtained for a credential once that long has passed (like `ssh-add -t`),
// and obtains it again on the next request. The secrets live in files the
// test changes after the first fetch: a credential whose lifetime is over
// serves the new value, one still within its lifetime the old one.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

class LifetimeTest : public AgentTest {
 protected:
  std::string SecretFile(const std::string& name) const {
    return base_dir() + "/" + name + ".secret";
  }

  void WriteSecret(const std::string& name, const std::string& value) {
    const std::string path = SecretFile(name);
    std::ofstream(path, std::ios::trunc) << value;
    ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  }

  // A static credential reading SecretFile(name), with `extra` lines.
  std::string FileCredential(const std::string& name,
                             const std::string& extra = "") const {
    return absl::StrCat(
        "[credential.", name,
        "]\nprovider = \"static\"\nsecret = \"file:", SecretFile(name),
        "\"\nenv = { TOKEN = \"{secret}\" }\n", extra);
  }

  void ExpectToken(const std::string& name, const std::string& expected) {
    CommandResult result = Cli({"token", name});
    EXPECT_EQ(result.exit_code, 0) << name << ": " << Show(result);
    EXPECT_TRUE(result.out == expected + "\n")
        << name << ": token differs (secrets hidden): " << Hide(result.out);
  }
};

TEST_F(LifetimeTest, ACredentialIsForgottenWhenItsLifetimeIsOver) {
  const std::string first = NewSecret(), second = NewSecret();
  const std::string kept = NewSecret(), unseen = NewSecret();
  WriteSecret("short", first);
  WriteSecret("long", kept);
  WriteConfig(FileCredential("short", "lifetime = \"1s\"\n") +
              FileCredential("long", "lifetime = \"1h\"\n"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  ExpectToken("short", first);
  ExpectToken("long", kept);

  WriteSecret("short", second);
  WriteSecret("long", unseen);
  ASSERT_TRUE(WaitForLog(agent, "lifetime over for short"))
      << Hide(agent->Log());
  // Forgotten, and obtained again (from the changed file) when asked for.
  ExpectToken("short", second);
  // Still within its lifetime: the value obtained first.
  ExpectToken("long", kept);
  EXPECT_FALSE(absl::StrContains(agent->Log(), "lifetime over for long"));
}

TEST_F(LifetimeTest, DashTIsTheLifetimeOfCredentialsWithoutTheirOwn) {
  const std::string first = NewSecret(), second = NewSecret();
  const std::string kept = NewSecret(), unseen = NewSecret();
  WriteSecret("dflt", first);
  WriteSecret("own", kept);
  WriteConfig(FileCredential("dflt") +
              FileCredential("own", "lifetime = \"1h\"\n"));
  AgentProcess* agent = StartAgent({"-t", "1"});
  ASSERT_NE(agent, nullptr);
  ExpectToken("dflt", first);
  ExpectToken("own", kept);

  WriteSecret("dflt", second);
  WriteSecret("own", unseen);
  ASSERT_TRUE(WaitForLog(agent, "lifetime over for dflt"))
      << Hide(agent->Log());
  ExpectToken("dflt", second);
  ExpectToken("own", kept);
}

TEST_F(LifetimeTest, ABadDashTIsAUsageError) {
  WriteConfig(StaticCredentialToml("gh"));
  AgentProcess* agent = LaunchAgent(DefaultLaunch({"-D", "-t", "forever"}));
  ASSERT_NE(agent, nullptr);
  absl::StatusOr<int> code = agent->WaitExit();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_NE(*code, 0);
  EXPECT_TRUE(absl::StrContains(agent->Log(), "at least one second"))
      << agent->Log();
}

}  // namespace
}  // namespace mcpcred::testing

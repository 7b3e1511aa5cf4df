// The audit log: one JSON line per hand-out, naming the caller, never the
// value.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using Json = nlohmann::json;

class AuditTest : public AgentTest {
 protected:
  // Every line of the audit log, parsed; a failure for a line that is not
  // a JSON object.
  std::vector<Json> AuditLines() {
    std::vector<Json> lines;
    std::string text = ReadFileOrEmpty(audit_log_path());
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (line.empty()) continue;
      Json json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      EXPECT_TRUE(json.is_object()) << "not a JSON object: " << Hide(text);
      if (json.is_object()) lines.push_back(json);
    }
    EXPECT_TRUE(text.empty() || text.back() == '\n') << Hide(text);
    return lines;
  }

  static std::string Canonical(const std::string& path) {
    return std::filesystem::canonical(path).string();
  }
};

TEST_F(AuditTest, EveryHandOutIsLoggedWithTheCallerAndNeverTheValue) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult token = Cli({"token", "gh"});
  ASSERT_EQ(token.exit_code, 0) << Show(token);
  CommandResult exec = Exec({"gh", "--", "/bin/true"});
  ASSERT_EQ(exec.exit_code, 0) << Show(exec);

  std::string text = ReadFileOrEmpty(audit_log_path());
  EXPECT_FALSE(ContainsSecret(text)) << "the audit log holds the secret";
  struct stat st;
  ASSERT_EQ(stat(audit_log_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u) << "the audit log is private";

  std::vector<Json> lines = AuditLines();
  ASSERT_EQ(lines.size(), 2u) << Hide(text);
  const Json& cli = lines[0];
  EXPECT_EQ(cli.value("credential", ""), "gh");
  EXPECT_EQ(cli.value("outcome", ""), "ok");
  EXPECT_EQ(cli.value("exe", ""), Canonical(CliBinary()));
  EXPECT_EQ(cli.value("uid", -1), static_cast<int>(getuid()));
  EXPECT_GT(cli.value("pid", 0), 0);
  EXPECT_TRUE(cli.contains("time") && cli["time"].is_string()) << Hide(text);

  const Json& wrapper = lines[1];
  EXPECT_EQ(wrapper.value("credential", ""), "gh");
  EXPECT_EQ(wrapper.value("outcome", ""), "ok");
  EXPECT_EQ(wrapper.value("exe", ""), Canonical(ExecBinary()));
}

TEST_F(AuditTest, AFailedRequestIsLoggedWithItsOutcome) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Cli({"token", "no-such-credential"});
  ASSERT_EQ(result.exit_code, 4) << Show(result);

  std::vector<Json> lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].value("credential", ""), "no-such-credential");
  EXPECT_NE(lines[0].value("outcome", "ok"), "ok");
}

// Not the audit log but the other place a value could escape to: the agent's
// own log, at debug level, through a session that touches every path.
TEST_F(AuditTest, DebugLogOfAFullSessionHoldsNoSecret) {
  std::string file_secret = NewSecret();
  std::string exposed_secret = NewSecret();
  WriteFileOrDie(base_dir() + "/good-secret", file_secret + "\n", 0600);
  // Readable by others: refused, and the refusal must not quote it.
  WriteFileOrDie(base_dir() + "/exposed-secret", exposed_secret + "\n", 0644);
  WriteConfig(StaticCredentialToml("gh") +
              absl::StrCat("[credential.from-file]\n"
                           "provider = \"static\"\n"
                           "secret = \"file:",
                           base_dir(),
                           "/good-secret\"\n"
                           "env = { FILE_TOKEN = \"{secret}\" }\n"
                           "[credential.exposed]\n"
                           "provider = \"static\"\n"
                           "secret = \"file:",
                           base_dir(),
                           "/exposed-secret\"\n"
                           "env = { EXPOSED_TOKEN = \"{secret}\" }\n"));
  AgentProcess* agent = StartAgent({"-d"});
  ASSERT_NE(agent, nullptr);

  CommandResult file_token = Cli({"token", "from-file"});
  EXPECT_EQ(file_token.exit_code, 0) << Show(file_token);
  EXPECT_TRUE(file_token.out == file_secret + "\n") << Hide(file_token.out);
  CommandResult exposed = Cli({"token", "exposed"});
  EXPECT_NE(exposed.exit_code, 0) << Show(exposed);
  EXPECT_FALSE(ContainsSecret(exposed.out + exposed.err)) << Show(exposed);
  for (const char* command : {"token", "env", "headers"}) {
    EXPECT_EQ(Cli({command, "gh"}).exit_code, 0) << command;
    EXPECT_EQ(Cli({"--json", command, "gh"}).exit_code, 0) << command;
  }
  EXPECT_EQ(Cli({"list", "--json"}).exit_code, 0);
  EXPECT_EQ(Cli({"status"}).exit_code, 0);
  EXPECT_EQ(Cli({"token", "no-such-credential"}).exit_code, 4);
  EXPECT_EQ(
      Cli({"redact"}, {}, absl::StrCat(secret(), " ", file_secret)).exit_code,
      0);
  EXPECT_EQ(Exec({"gh", "from-file", "--", "/bin/true"}).exit_code, 0);
  EXPECT_EQ(Cli({"reload"}).exit_code, 0);
  EXPECT_EQ(Cli({"token", "gh"}).exit_code, 0);

  // TearDown checks the logs too; this says which test leaked.
  EXPECT_FALSE(ContainsSecret(agent->Log())) << Hide(agent->Log());
  EXPECT_FALSE(ContainsSecret(ReadFileOrEmpty(audit_log_path())));
}

}  // namespace
}  // namespace mcpcred::testing

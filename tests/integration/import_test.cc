// `mcpcred import` against a real agent (file store) on a sample config of
// every host (tests/client/import/testdata) below the test's HOME,
// XDG_CONFIG_HOME and a project directory. The samples' secrets are the
// fixture's random secrets, so its leak checks cover the agent's log, the
// audit log and every stderr; these tests check every stdout too.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/client/import/sample_configs.h"
#include "tests/integration/agent_fixture.h"
#include "tests/integration/terminal.h"

namespace mcpcred::testing {
namespace {

class ImportTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    secrets_.push_back(secret());
    while (secrets_.size() < static_cast<size_t>(kSampleSecrets)) {
      secrets_.push_back(NewSecret());
    }
    WriteConfig("# the user's own config\n[store]\nbackend = \"file\"\n");
  }

  std::string Root(const std::string& root) const {
    if (root == "home") return base_dir() + "/home";
    if (root == "config") return base_dir() + "/config";
    return project_dir();
  }
  std::string project_dir() const { return base_dir() + "/project"; }
  std::string PathOf(const SamplePlace& place) const {
    return Root(place.root) + "/" + place.path;
  }

  // Every sample in its place; returns path -> text.
  std::map<std::string, std::string> WriteSamples() {
    std::map<std::string, std::string> written;
    std::filesystem::create_directories(project_dir());
    for (const SamplePlace& place : SamplePlaces()) {
      std::string path = PathOf(place);
      std::filesystem::create_directories(
          std::filesystem::path(path).parent_path());
      std::string text = Sample(place.sample, secrets_);
      WriteFileOrDie(path, text, 0644);
      written[path] = text;
    }
    return written;
  }

  std::map<std::string, std::string> ReadSamples() const {
    std::map<std::string, std::string> now;
    for (const SamplePlace& place : SamplePlaces()) {
      now[PathOf(place)] = ReadFileOrEmpty(PathOf(place));
    }
    return now;
  }

  CommandResult Import(const std::vector<std::string>& args) {
    return CliIn(project_dir(), args);
  }

  std::vector<std::string> CredentialNames() {
    CommandResult list = Cli({"list", "--json"});
    EXPECT_EQ(list.exit_code, 0) << Show(list);
    std::vector<std::string> names;
    nlohmann::json json =
        nlohmann::json::parse(list.out, nullptr, /*allow_exceptions=*/false);
    if (!json.is_array()) return names;
    for (const nlohmann::json& item : json) {
      names.push_back(item.value("name", ""));
    }
    return names;
  }

  std::vector<std::string> Backups() const {
    std::vector<std::string> found;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(base_dir())) {
      if (absl::StrContains(entry.path().filename().string(),
                            ".mcpcred-backup")) {
        found.push_back(entry.path().string());
      }
    }
    return found;
  }

  std::vector<std::string> secrets_;
};

TEST_F(ImportTest, DryRunShowsAMaskedPlanAndChangesNothing) {
  std::map<std::string, std::string> before = WriteSamples();
  ASSERT_NE(StartAgent(), nullptr);
  std::string config = ReadFileOrEmpty(config_path());

  CommandResult result = Import({"import", "--dry-run"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  for (const SamplePlace& place : SamplePlaces()) {
    EXPECT_TRUE(absl::StrContains(result.out, place.path)) << place.path;
    EXPECT_TRUE(absl::StrContains(result.out, "(" + place.host + ")"));
  }
  EXPECT_TRUE(absl::StrContains(result.out, "= ********"));
  EXPECT_TRUE(absl::StrContains(result.out, "Dry run: nothing was changed."));
  EXPECT_TRUE(ReadSamples() == before) << "a host file changed";
  EXPECT_EQ(ReadFileOrEmpty(config_path()), config);
  EXPECT_TRUE(Backups().empty());
  EXPECT_TRUE(CredentialNames().empty());
}

TEST_F(ImportTest, MovesEverySecretIntoTheAgentOnceAndKeepsBackups) {
  std::map<std::string, std::string> before = WriteSamples();
  ASSERT_NE(StartAgent(), nullptr);
  std::string config = ReadFileOrEmpty(config_path());

  // stdin is not a terminal: the plan is applied without asking.
  CommandResult result = Import({"import"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  std::map<std::string, std::string> after = ReadSamples();
  for (const SamplePlace& place : SamplePlaces()) {
    std::string path = PathOf(place);
    EXPECT_FALSE(ContainsSecret(after[path]))
        << path << " still holds a secret: " << Hide(after[path]);
    EXPECT_NE(after[path], before[path]) << path;
    // The backup holds the old text; the file keeps its mode.
    EXPECT_TRUE(ReadFileOrEmpty(path + ".mcpcred-backup") == before[path])
        << path;
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0644u) << path;
  }
  // Comments and keys mcpcred does not know stay.
  std::string zed = after[base_dir() + "/config/zed/settings.json"];
  EXPECT_TRUE(absl::StartsWith(zed, "// Zed settings\n"));
  EXPECT_TRUE(
      absl::StrContains(zed, "\"theme\": \"One Dark\", /* the theme */"));
  std::string claude = after[base_dir() + "/home/.claude.json"];
  EXPECT_TRUE(absl::StrContains(claude, "\"hasTrustDialogAccepted\": true"));
  EXPECT_TRUE(absl::StrContains(
      claude, "\"headersHelper\": \"mcpcred headers linear --json\""));
  EXPECT_TRUE(absl::StrContains(
      after[base_dir() + "/config/gptme/config.toml"],
      "# gptme's own API keys are not MCP servers' and stay."));

  // The config keeps its text and gained the credentials.
  std::string new_config = ReadFileOrEmpty(config_path());
  EXPECT_TRUE(absl::StartsWith(new_config, config));
  EXPECT_FALSE(ContainsSecret(new_config)) << Hide(new_config);

  // Every secret comes back, only through the agent.
  std::vector<std::string> names = CredentialNames();
  EXPECT_GE(names.size(), 16u);
  std::set<std::string> tokens;
  for (const std::string& name : names) {
    CommandResult token = Cli({"token", name});
    EXPECT_EQ(token.exit_code, 0) << name << ": " << Show(token);
    tokens.insert(std::string(absl::StripSuffix(token.out, "\n")));
  }
  for (size_t i = 0; i < secrets_.size(); ++i) {
    bool found = false;
    for (const std::string& token : tokens) {
      found = found || absl::StrContains(token, secrets_[i]);
    }
    EXPECT_TRUE(found) << "secret @S" << i + 1 << "@ is not in the agent";
  }
  CommandResult env = Cli({"env", "github"});
  EXPECT_TRUE(env.out == "GITHUB_PERSONAL_ACCESS_TOKEN=" + secrets_[0] + "\n")
      << Hide(env.out);
  CommandResult headers = Cli({"headers", "linear"});
  EXPECT_TRUE(headers.out == "Authorization: Bearer " + secrets_[1] + "\n")
      << Hide(headers.out);

  // Twice: nothing changes the second time.
  std::vector<std::string> backups = Backups();
  CommandResult again = Import({"import", "--yes"});
  ASSERT_EQ(again.exit_code, 0) << Show(again);
  EXPECT_TRUE(absl::StrContains(again.out, "Nothing to import")) << Show(again);
  EXPECT_TRUE(ReadSamples() == after);
  EXPECT_EQ(ReadFileOrEmpty(config_path()), new_config);
  EXPECT_EQ(Backups(), backups);
  EXPECT_EQ(CredentialNames(), names);
}

TEST_F(ImportTest, AFileRestoredFromItsBackupReusesTheCredentials) {
  std::map<std::string, std::string> before = WriteSamples();
  ASSERT_NE(StartAgent(), nullptr);
  ASSERT_EQ(Import({"import", "--yes"}).exit_code, 0);
  std::vector<std::string> names = CredentialNames();
  std::string config = ReadFileOrEmpty(config_path());
  std::string cursor = base_dir() + "/home/.cursor/mcp.json";
  std::string rewritten = ReadFileOrEmpty(cursor);
  WriteFileOrDie(cursor, before[cursor], 0644);

  CommandResult result = Import({"import", "--yes"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_TRUE(absl::StrContains(result.out, "(already in the agent)"))
      << Show(result);
  EXPECT_EQ(CredentialNames(), names);
  EXPECT_EQ(ReadFileOrEmpty(config_path()), config);
  EXPECT_EQ(ReadFileOrEmpty(cursor), rewritten);
}

TEST_F(ImportTest, OnATerminalItAsksFirst) {
  std::map<std::string, std::string> before = WriteSamples();
  ASSERT_NE(StartAgent(), nullptr);
  for (std::string answer : {"n", "y"}) {
    int master = -1;
    pid_t pid = StartOnTerminal({CliBinary(), "import"}, BaseEnv(),
                                project_dir(), &master);
    ASSERT_GE(pid, 0);
    std::string screen = ReadUntil(master, "Apply this plan? [y/N] ", "");
    ASSERT_TRUE(absl::StrContains(screen, "Apply this plan? [y/N] "))
        << Hide(screen);
    // Nothing is changed while it asks.
    EXPECT_TRUE(ReadSamples() == before);
    std::string typed = answer + "\n";
    ASSERT_EQ(write(master, typed.data(), typed.size()),
              static_cast<ssize_t>(typed.size()));
    screen = ReadUntil(
        master, answer == "n" ? "Nothing was changed." : "Rewrote", screen);
    int status = WaitOrKill(pid);
    close(master);
    EXPECT_FALSE(ContainsSecret(screen)) << Hide(screen);
    if (answer == "n") {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1)
          << Hide(screen);
      EXPECT_TRUE(ReadSamples() == before);
      EXPECT_TRUE(Backups().empty());
    } else {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << Hide(screen);
      EXPECT_FALSE(ReadSamples() == before);
    }
  }
}

TEST_F(ImportTest, AnOlderBackupIsNeverOverwritten) {
  std::map<std::string, std::string> before = WriteSamples();
  std::string cursor = base_dir() + "/home/.cursor/mcp.json";
  WriteFileOrDie(cursor + ".mcpcred-backup", "an older backup\n");
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Import({"import", "--yes"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(ReadFileOrEmpty(cursor + ".mcpcred-backup"), "an older backup\n");
  EXPECT_TRUE(ReadFileOrEmpty(cursor + ".mcpcred-backup.2") == before[cursor]);
}

TEST_F(ImportTest, NothingChangesWhenNoAgentRuns) {
  std::map<std::string, std::string> before = WriteSamples();
  std::string config = ReadFileOrEmpty(config_path());

  CommandResult result = Import({"import", "--yes"});

  EXPECT_EQ(result.exit_code, 3) << Show(result);
  EXPECT_TRUE(absl::StrContains(result.err, "agent")) << Show(result);
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
      << Show(result);
  EXPECT_TRUE(ReadSamples() == before);
  EXPECT_EQ(ReadFileOrEmpty(config_path()), config);
  EXPECT_TRUE(Backups().empty());
}

TEST_F(ImportTest, NothingChangesWhenTheStoreFails) {
  std::map<std::string, std::string> before = WriteSamples();
  // A store file that does not decrypt: every store call fails.
  std::filesystem::create_directories(base_dir() + "/state/mcpcred");
  WriteFileOrDie(base_dir() + "/state/mcpcred/secrets.db", "not a store\n");
  ASSERT_NE(StartAgent(), nullptr);
  std::string config = ReadFileOrEmpty(config_path());

  CommandResult result = Import({"import", "--yes"});

  EXPECT_NE(result.exit_code, 0) << Show(result);
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
      << Show(result);
  EXPECT_TRUE(ReadSamples() == before);
  EXPECT_EQ(ReadFileOrEmpty(config_path()), config);
  EXPECT_TRUE(Backups().empty());
  EXPECT_TRUE(CredentialNames().empty());
}

}  // namespace
}  // namespace mcpcred::testing

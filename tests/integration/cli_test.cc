// The mcpcred CLI against a real agent: a static credential from the
// environment in every output form, list, secret-keys, redact, and the exit
// codes for an unknown credential and a missing agent.
#include <signal.h>

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using Json = nlohmann::json;

class CliTest : public AgentTest {
 protected:
  // Parses a --json output; null (and a failure) when it is not JSON.
  Json ParseJson(const CommandResult& result) {
    Json json = Json::parse(result.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(json.is_discarded()) << "not JSON: " << Show(result);
    return json;
  }

  std::set<std::string> Lines(const std::string& text) {
    std::set<std::string> lines;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (!line.empty()) lines.emplace(line);
    }
    return lines;
  }
};

TEST_F(CliTest, TokenPrintsTheStaticSecretAndANewline) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Cli({"token", "gh"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_TRUE(result.out == secret() + "\n")
      << "token output differs (secret hidden): " << Hide(result.out);
  EXPECT_EQ(result.err, "");
}

TEST_F(CliTest, EnvPrintsOneKeyValueLine) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Cli({"env", "gh"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_TRUE(result.out == "GITHUB_TOKEN=" + secret() + "\n")
      << "env output differs (secret hidden): " << Hide(result.out);
}

TEST_F(CliTest, HeadersPrintsOneNameValueLine) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Cli({"headers", "gh"});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_TRUE(result.out == "Authorization: Bearer " + secret() + "\n")
      << "headers output differs (secret hidden): " << Hide(result.out);
}

TEST_F(CliTest, JsonFormsCarryTheSameValues) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult token = Cli({"--json", "token", "gh"});
  ASSERT_EQ(token.exit_code, 0) << Show(token);
  Json token_json = ParseJson(token);
  EXPECT_EQ(token_json.value("name", ""), "gh");
  EXPECT_TRUE(token_json.value("token", "") == secret())
      << "token differs (secret hidden): " << Hide(token.out);
  EXPECT_TRUE(token_json.contains("expires_at") &&
              token_json["expires_at"].is_null())
      << "a static credential never expires: " << Hide(token.out);

  // The option may follow the subcommand too.
  CommandResult env = Cli({"env", "gh", "--json"});
  ASSERT_EQ(env.exit_code, 0) << Show(env);
  EXPECT_TRUE(ParseJson(env) == Json({{"GITHUB_TOKEN", secret()}}))
      << "env JSON differs (secret hidden): " << Hide(env.out);

  CommandResult headers = Cli({"--json", "headers", "gh"});
  ASSERT_EQ(headers.exit_code, 0) << Show(headers);
  EXPECT_TRUE(ParseJson(headers) ==
              Json({{"Authorization", "Bearer " + secret()}}))
      << "headers JSON differs (secret hidden): " << Hide(headers.out);
}

TEST_F(CliTest, ListShowsReadyAndErrorWithTheReasonNamingFileAndLine) {
  // Line 9 holds the source of "broken", whose variable is not set.
  WriteConfig(StaticCredentialToml("gh") +  // lines 1-5
              "\n"
              "[credential.broken]\n"
              "provider = \"static\"\n"
              "secret = \"env:ITEST_UNSET_VARIABLE\"\n"
              "env = { BROKEN_KEY = \"{secret}\" }\n");
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult list = Cli({"list"});

  ASSERT_EQ(list.exit_code, 0) << Show(list);
  std::string gh_line, broken_line;
  for (absl::string_view line : absl::StrSplit(list.out, '\n')) {
    if (absl::StartsWith(line, "gh ")) gh_line = std::string(line);
    if (absl::StartsWith(line, "broken ")) broken_line = std::string(line);
  }
  EXPECT_TRUE(absl::StrContains(gh_line, "ready")) << Show(list);
  EXPECT_TRUE(absl::StrContains(broken_line, "error")) << Show(list);
  EXPECT_TRUE(absl::StrContains(broken_line, config_path() + ":9"))
      << "the reason should name the file and line: " << Show(list);
  EXPECT_TRUE(absl::StrContains(broken_line, "ITEST_UNSET_VARIABLE"))
      << Show(list);

  CommandResult json_list = Cli({"list", "--json"});
  ASSERT_EQ(json_list.exit_code, 0) << Show(json_list);
  Json array = ParseJson(json_list);
  ASSERT_TRUE(array.is_array()) << Show(json_list);
  std::map<std::string, Json> by_name;
  for (const Json& item : array) by_name[item.value("name", "")] = item;
  ASSERT_EQ(by_name.count("gh"), 1u) << Show(json_list);
  ASSERT_EQ(by_name.count("broken"), 1u) << Show(json_list);
  EXPECT_EQ(by_name["gh"].value("state", ""), "ready");
  EXPECT_EQ(by_name["gh"].value("provider", ""), "static");
  EXPECT_EQ(by_name["broken"].value("state", ""), "error");
  EXPECT_TRUE(absl::StrContains(by_name["broken"].value("last_error", ""),
                                config_path() + ":9"))
      << Show(json_list);

  // A request for the broken credential gets its reason.
  CommandResult token = Cli({"token", "broken"});
  EXPECT_NE(token.exit_code, 0) << Show(token);
  EXPECT_TRUE(absl::StrContains(token.err, "ITEST_UNSET_VARIABLE"))
      << Show(token);
  // ... and the good one still works.
  EXPECT_EQ(Cli({"token", "gh"}).exit_code, 0);
}

TEST_F(CliTest, SecretKeysListsEveryEnvKeyAndHeaderName) {
  WriteConfig(StaticCredentialToml("gh") +
              "[credential.linear]\n"
              "provider = \"static\"\n"
              "secret = \"env:ITEST_SECRET\"\n"
              "env = { LINEAR_API_KEY = \"{secret}\" }\n"
              "headers = { X-Linear-Key = \"{secret}\" }\n");
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult keys = Cli({"secret-keys"});

  ASSERT_EQ(keys.exit_code, 0) << Show(keys);
  EXPECT_EQ(Lines(keys.out),
            (std::set<std::string>{"GITHUB_TOKEN", "LINEAR_API_KEY",
                                   "Authorization", "X-Linear-Key"}));

  CommandResult json_keys = Cli({"--json", "secret-keys"});
  ASSERT_EQ(json_keys.exit_code, 0) << Show(json_keys);
  Json json = ParseJson(json_keys);
  ASSERT_TRUE(json.is_object()) << Show(json_keys);
  EXPECT_EQ(json["env_keys"].get<std::set<std::string>>(),
            (std::set<std::string>{"GITHUB_TOKEN", "LINEAR_API_KEY"}));
  EXPECT_EQ(json["header_names"].get<std::set<std::string>>(),
            (std::set<std::string>{"Authorization", "X-Linear-Key"}));
}

TEST_F(CliTest, RedactReplacesAFetchedSecretWithTheCredentialName) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  ASSERT_EQ(Cli({"token", "gh"}).exit_code, 0);

  CommandResult result =
      Cli({"redact"}, {}, absl::StrCat("x ", secret(), " y"));

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_EQ(Hide(result.out), "x [REDACTED:gh] y");
}

TEST_F(CliTest, UnknownCredentialExitsFourAndNamesIt) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Cli({"token", "no-such-credential"});

  EXPECT_EQ(result.exit_code, 4) << Show(result);
  EXPECT_TRUE(absl::StrContains(result.err, "no-such-credential"))
      << Show(result);
  EXPECT_EQ(result.out, "");
}

TEST_F(CliTest, NoAgentExitsThreeAndSaysHowToStartOne) {
  // No agent was started; the socket directory does not even exist.
  for (const char* command : {"status", "list", "token"}) {
    std::vector<std::string> args = {command};
    if (std::string(command) == "token") args.push_back("gh");
    CommandResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 3) << command << ": " << Show(result);
    EXPECT_TRUE(absl::StrContains(result.err, "mcpcred-agent -s"))
        << command << ": " << Show(result);
    EXPECT_EQ(result.out, "") << command;
  }
}

TEST_F(CliTest, NoAgentOnAStaleSocketFileExitsThree) {
  WriteConfig(StaticCredentialToml("gh"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  // SIGKILL leaves the socket file behind with nobody listening.
  ASSERT_TRUE(agent->Signal(SIGKILL).ok());
  ASSERT_TRUE(absl::IsAborted(agent->WaitExit().status()));

  CommandResult result = Cli({"token", "gh"});

  EXPECT_EQ(result.exit_code, 3) << Show(result);
  EXPECT_TRUE(absl::StrContains(result.err, "mcpcred-agent -s"))
      << Show(result);
}

TEST_F(CliTest, SocketOptionOverridesTheEnvironment) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult result = Cli({"--socket", socket_path(), "token", "gh"},
                             {{"MCPCRED_SOCK", base_dir() + "/nowhere.sock"}});

  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_TRUE(result.out == secret() + "\n") << Hide(result.out);
}

}  // namespace
}  // namespace mcpcred::testing

// The provider's description and the checks create() makes, each naming the
// config key at fault so the agent can point at its line.
#include <sys/stat.h>

#include <cstdlib>
#include <optional>

#include "agent/config/config.h"
#include "tests/plugins/command/command_test_util.h"

namespace mcpcred::command_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_.has_value()) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_F(CommandProviderTest, DescribesItsKeysAndVariables) {
  EXPECT_EQ(library_->name(), "command");
  const config::ProviderSchema& schema = library_->schema();
  ASSERT_EQ(schema.fields.size(), 3u);
  EXPECT_EQ(schema.fields[0].name, "command");
  EXPECT_EQ(schema.fields[0].type, config::FieldType::kStringArray);
  EXPECT_TRUE(schema.fields[0].required);
  EXPECT_EQ(schema.fields[1].name, "timeout_seconds");
  EXPECT_EQ(schema.fields[1].type, config::FieldType::kInteger);
  EXPECT_FALSE(schema.fields[1].required);
  EXPECT_EQ(schema.fields[2].name, "working_directory");
  EXPECT_EQ(schema.fields[2].type, config::FieldType::kString);
  EXPECT_THAT(schema.variables, ElementsAre("access_token", "token_type"));
  EXPECT_FALSE(library_->has_login());
}

TEST_F(CommandProviderTest, ConfigFileEntryLoadsAndRuns) {
  std::string script =
      WriteScript("get-token", R"(echo "{\"access_token\":\"$1\"}")");
  const std::string toml =
      "[credential.vault-db]\n"
      "provider = \"command\"\n"
      "command = [\"" +
      script +
      "\", \"--audience\", \"mcp\"]\n"
      "timeout_seconds = 10\n"
      "env = { DB_TOKEN = \"{access_token}\" }\n";
  auto parsed =
      config::ParseConfig(toml, "config.toml", [&](const std::string& name) {
        return name == "command" ? &library_->schema() : nullptr;
      });
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->credentials.size(), 1u);
  const config::CredentialConfig& credential = parsed->credentials[0];
  ASSERT_TRUE(credential.error.ok()) << credential.error;
  auto instance = Create(credential.provider_config);
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto token = (*instance)->Fetch();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "--audience");
}

TEST_F(CommandProviderTest, EmptyOrMissingCommandIsAConfigError) {
  struct Case {
    nlohmann::json config;
    std::string message;
  };
  const Case cases[] = {
      {nlohmann::json::object(), "\"command\" is required"},
      {{{"command", nlohmann::json::array()}}, "\"command\" is empty"},
      {{{"command", "/bin/true"}}, "must be an array of strings"},
      {{{"command", {"/bin/true", 3}}}, "must be an array of strings"},
      {{{"command", {""}}}, "the program (the first element of \"command\")"},
      {{{"command", {"bin/get-token"}}}, "must be an absolute path"},
  };
  for (const Case& c : cases) {
    std::string key;
    auto instance = Create(c.config, &key);
    EXPECT_TRUE(absl::IsInvalidArgument(instance.status()))
        << c.config << ": " << instance.status();
    EXPECT_THAT(instance.status().message(), HasSubstr(c.message)) << c.config;
    EXPECT_EQ(key, "command") << c.config;
  }
}

TEST_F(CommandProviderTest, TimeoutOutsideOneTo300IsAConfigError) {
  std::string script = WriteScript("get-token", "exit 0");
  for (const nlohmann::json& bad :
       {nlohmann::json(0), nlohmann::json(-1), nlohmann::json(301),
        nlohmann::json("10"), nlohmann::json(2.5)}) {
    std::string key;
    auto instance =
        Create({{"command", {script}}, {"timeout_seconds", bad}}, &key);
    EXPECT_TRUE(absl::IsInvalidArgument(instance.status())) << bad;
    EXPECT_THAT(instance.status().message(), HasSubstr("\"timeout_seconds\""));
    EXPECT_EQ(key, "timeout_seconds") << bad;
  }
  for (int good : {1, 300}) {
    EXPECT_TRUE(
        Create({{"command", {script}}, {"timeout_seconds", good}}).ok());
  }
}

TEST_F(CommandProviderTest, MissingOrUnusableProgramIsNotFound) {
  std::string not_executable = dir_ + "/plain-file";
  WriteScript("plain-file", "exit 0");
  chmod(not_executable.c_str(), 0600);
  struct Case {
    std::string program;
    std::string message;
  };
  const Case cases[] = {
      {dir_ + "/nope", "command \"" + dir_ +
                           "/nope\" cannot be run: No such file or directory"},
      {not_executable, "command \"" + not_executable + "\" is not executable"},
      {dir_, "command \"" + dir_ + "\" is not a regular file"},
      {"mcpcred-no-such-tool-here",
       "command \"mcpcred-no-such-tool-here\" was not found in PATH: give its "
       "absolute path"},
  };
  for (const Case& c : cases) {
    std::string key;
    auto instance = Create({{"command", {c.program}}}, &key);
    // The host maps a provider's NOT_FOUND to FAILED_PRECONDITION.
    EXPECT_TRUE(absl::IsFailedPrecondition(instance.status()))
        << c.program << ": " << instance.status();
    EXPECT_EQ(instance.status().message(), c.message);
    EXPECT_EQ(key, "command");
  }
}

TEST_F(CommandProviderTest, BareProgramNameIsFoundInPath) {
  WriteScript("my-token-tool", R"(echo '{"access_token":"from-path"}')");
  ScopedEnv path("PATH", dir_ + ":/usr/bin:/bin");
  auto instance = Create({{"command", {"my-token-tool"}}});
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto token = (*instance)->Fetch();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "from-path");
}

TEST_F(CommandProviderTest, TildeExpandsToHome) {
  ASSERT_EQ(mkdir((dir_ + "/bin").c_str(), 0700), 0);
  WriteScript("bin/tool", R"(echo "{\"access_token\":\"$1\"}")");
  ScopedEnv home("HOME", dir_);
  // Only the program is expanded: arguments reach it exactly as written.
  auto instance = Create({{"command", {"~/bin/tool", "~/arg"}}});
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto token = (*instance)->Fetch();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "~/arg");
}

TEST_F(CommandProviderTest, BadWorkingDirectoryIsNamed) {
  std::string script = WriteScript("get-token", "exit 0");
  std::string key;
  auto relative =
      Create({{"command", {script}}, {"working_directory", "work"}}, &key);
  EXPECT_TRUE(absl::IsInvalidArgument(relative.status()));
  EXPECT_THAT(relative.status().message(), HasSubstr("must be an absolute"));
  EXPECT_EQ(key, "working_directory");

  key.clear();
  auto missing = Create(
      {{"command", {script}}, {"working_directory", dir_ + "/gone"}}, &key);
  EXPECT_TRUE(absl::IsFailedPrecondition(missing.status()));
  EXPECT_THAT(missing.status().message(),
              HasSubstr("working directory \"" + dir_ + "/gone\""));
  EXPECT_EQ(key, "working_directory");

  key.clear();
  auto empty = Create({{"command", {script}}, {"working_directory", ""}}, &key);
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status()));
  EXPECT_EQ(key, "working_directory");
}

TEST_F(CommandProviderTest, WorkingDirectoryRemovedAfterCreateIsNamedAtFetch) {
  std::string script = WriteScript("get-token", "exit 0");
  std::string work = dir_ + "/work";
  ASSERT_EQ(mkdir(work.c_str(), 0700), 0);
  auto instance = Create({{"command", {script}}, {"working_directory", work}});
  ASSERT_TRUE(instance.ok()) << instance.status();
  ASSERT_EQ(rmdir(work.c_str()), 0);
  auto token = (*instance)->Fetch();
  EXPECT_TRUE(absl::IsFailedPrecondition(token.status()));
  EXPECT_EQ(token.status().message(),
            "working directory \"" + work +
                "\" cannot be used: No such file or directory");
}

}  // namespace
}  // namespace mcpcred::command_test

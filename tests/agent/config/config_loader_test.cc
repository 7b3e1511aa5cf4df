#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/config/config.h"
#include "agent/config/env_expand.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/config/config_test_util.h"

namespace mcpcred::config {
namespace {

using test_util::ErrorOf;
using test_util::kPath;
using test_util::Parse;
using test_util::ParseOne;
using test_util::ScopedEnv;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(ParseConfigTest, LoadsTheDesignExample) {
  absl::StatusOr<AgentConfig> config = Parse(R"(# mcpcred
[credential.gh]
provider = "static"
secret = "env:GH_PAT"
env = { GITHUB_TOKEN = "{secret}" }
headers = { Authorization = "Bearer {secret}" }
)");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->path, kPath);
  EXPECT_EQ(config->store_backend, "auto");
  ASSERT_EQ(config->credentials.size(), 1u);
  const CredentialConfig& gh = config->credentials[0];
  EXPECT_TRUE(gh.error.ok()) << gh.error;
  EXPECT_EQ(gh.name, "gh");
  EXPECT_EQ(gh.provider, "static");
  EXPECT_EQ(gh.line, 2);
  EXPECT_EQ(gh.provider_config, nlohmann::json({{"secret", "env:GH_PAT"}}));
  ASSERT_EQ(gh.env.count("GITHUB_TOKEN"), 1u);
  EXPECT_EQ(*gh.env.at("GITHUB_TOKEN").Render({{"secret", "t"}}), "t");
  ASSERT_EQ(gh.headers.count("Authorization"), 1u);
  EXPECT_EQ(*gh.headers.at("Authorization").Render({{"secret", "t"}}),
            "Bearer t");
  EXPECT_EQ(gh.key_lines,
            (std::map<std::string, int>{
                {"provider", 3}, {"secret", 4}, {"env", 5}, {"headers", 6}}));
}

TEST(ParseConfigTest, EmptyFileHasNoCredentials) {
  absl::StatusOr<AgentConfig> config = Parse("# nothing yet\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->credentials.empty());
}

TEST(ParseConfigTest, ConvertsEveryFieldType) {
  CredentialConfig c = ParseOne(R"([credential.r]
provider = "rich"
url = "https://mcp.example/x"
count = 9007199254740993
debug = true
scopes = ["repo", "read:org"]
params = { audience = "api" }
[credential.r.env]
TOKEN = "{access_token}"
)");
  ASSERT_TRUE(c.error.ok()) << c.error;
  EXPECT_EQ(c.provider_config,
            nlohmann::json({{"url", "https://mcp.example/x"},
                            {"count", int64_t{9007199254740993}},
                            {"debug", true},
                            {"scopes", {"repo", "read:org"}},
                            {"params", {{"audience", "api"}}}}));
  EXPECT_EQ(c.key_lines.at("env"), 8);
  EXPECT_EQ(c.env.count("TOKEN"), 1u);
}

TEST(ParseConfigTest, ExpandsEnvironmentVariablesInEveryString) {
  ScopedEnv host("MCPCRED_TEST_HOST", "mcp.example");
  ScopedEnv pat("MCPCRED_TEST_PAT_VAR", "GH_PAT");
  CredentialConfig c = ParseOne(R"([credential.r]
provider = "rich"
url = "https://${MCPCRED_TEST_HOST}/mcp?x=$${literal}"
scopes = ["${MCPCRED_TEST_HOST}"]
params = { host = "${MCPCRED_TEST_HOST}" }
env = { URL = "{access_token}@${MCPCRED_TEST_HOST}" }
)");
  ASSERT_TRUE(c.error.ok()) << c.error;
  EXPECT_EQ(c.provider_config["url"], "https://mcp.example/mcp?x=${literal}");
  EXPECT_EQ(c.provider_config["scopes"], nlohmann::json({"mcp.example"}));
  EXPECT_EQ(c.provider_config["params"]["host"], "mcp.example");
  EXPECT_EQ(*c.env.at("URL").Render({{"access_token", "t"}}), "t@mcp.example");

  c = ParseOne(R"([credential.s]
provider = "static"
secret = "env:${MCPCRED_TEST_PAT_VAR}"
)");
  ASSERT_TRUE(c.error.ok()) << c.error;
  EXPECT_EQ(c.provider_config["secret"], "env:GH_PAT");
}

TEST(ParseConfigTest, RefusesShellStyleDefaults) {
  EXPECT_EQ(ErrorOf(R"([credential.r]
provider = "${MCPCRED_TEST_P:-static}"
)"),
            "cfg.toml:2: credential \"r\": key \"provider\": "
            "\"${MCPCRED_TEST_P:-static}\" is not a valid environment "
            "variable reference");
}

TEST(ParseConfigTest, UnsetVariableIsACredentialError) {
  unsetenv("MCPCRED_TEST_UNSET");
  EXPECT_EQ(ErrorOf(R"([credential.s]
provider = "static"
secret = "env:${MCPCRED_TEST_UNSET}"
)"),
            "cfg.toml:3: credential \"s\": key \"secret\": environment "
            "variable \"MCPCRED_TEST_UNSET\" is not set");
  EXPECT_THAT(ErrorOf(R"([credential.r]
provider = "rich"
url = "u"
scopes = [
  "a",
  "${MCPCRED_TEST_UNSET}",
]
)"),
              AllOf(StartsWith("cfg.toml:6: credential \"r\": key "
                               "\"scopes[1]\": "),
                    HasSubstr("MCPCRED_TEST_UNSET")));
}

TEST(ParseConfigTest, RefusesALiteralSecretWithoutQuotingIt) {
  const std::string message = ErrorOf(R"([credential.gh]
provider = "static"
secret = "ghp_Zx81literal"
)");
  EXPECT_EQ(message,
            "cfg.toml:3: credential \"gh\": key \"secret\": looks like a "
            "literal secret; keep it out of the config: use \"env:VAR\", "
            "\"file:PATH\" or \"keyring:NAME\"");
  EXPECT_THAT(message, Not(HasSubstr("ghp_Zx81literal")));
}

TEST(ParseConfigTest, RefusesANulInASecretReference) {
  // Plugins pass references on as C strings: "file:/a\0b" used to read /a.
  const std::string message = ErrorOf(R"([credential.gh]
provider = "static"
secret = "file:/tmp/a\u0000b"
)");
  EXPECT_EQ(message,
            "cfg.toml:3: credential \"gh\": key \"secret\": a secret "
            "reference must not contain a NUL character");
}

TEST(ParseConfigTest, RecordsExpansionsForErrorsToHide) {
  ScopedEnv tools("MCPCRED_TEST_TOOLS", "/opt/private-tools");
  CredentialConfig c = ParseOne(R"([credential.gh]
provider = "static"
secret = "file:${MCPCRED_TEST_TOOLS}/token"
)");
  ASSERT_TRUE(c.error.ok()) << c.error;
  EXPECT_EQ(HideExpansions("secret file /opt/private-tools/token is missing",
                           c.expansions),
            "secret file ${MCPCRED_TEST_TOOLS}/token is missing");
}

TEST(ParseConfigTest, NeverQuotesAnExpandedValue) {
  ScopedEnv leak("MCPCRED_TEST_LEAK", "ghp_FromTheEnv");
  EXPECT_THAT(
      ErrorOf(R"([credential.gh]
provider = "static"
secret = "${MCPCRED_TEST_LEAK}"
)"),
      AllOf(HasSubstr("literal secret"), Not(HasSubstr("ghp_FromTheEnv"))));
  ScopedEnv var("MCPCRED_TEST_VAR", "{ghp_from_the_env}");
  EXPECT_EQ(ErrorOf(R"([credential.gh]
provider = "static"
secret = "env:X"
env = { T = "${MCPCRED_TEST_VAR}" }
)"),
            "cfg.toml:4: credential \"gh\": key \"env.T\": template uses an "
            "unknown variable from the ${...} expansion; this provider "
            "offers: secret");
  ScopedEnv host("MCPCRED_TEST_HOST", "h");
  EXPECT_EQ(ErrorOf(R"([credential.gh]
provider = "static"
secret = "env:X"
env = { T = "{scret}@${MCPCRED_TEST_HOST}" }
)"),
            "cfg.toml:4: credential \"gh\": key \"env.T\": template uses "
            "unknown variable \"{scret}\"; this provider offers: secret");
  ScopedEnv tmpl("MCPCRED_TEST_TMPL", "{ghp_FromTheEnv}");
  EXPECT_THAT(ErrorOf(R"([credential.gh]
provider = "static"
secret = "env:X"
env = { T = "${MCPCRED_TEST_TMPL}" }
)"),
              AllOf(StartsWith("cfg.toml:4: credential \"gh\": key \"env.T\""),
                    Not(HasSubstr("ghp_FromTheEnv"))));
}

TEST(ParseConfigTest, EmptySecretReferenceIsAnError) {
  EXPECT_EQ(ErrorOf(R"([credential.gh]
provider = "static"
secret = "keyring:"
)"),
            "cfg.toml:3: credential \"gh\": key \"secret\": \"keyring:\" needs "
            "a name after the prefix");
}

TEST(ParseConfigTest, ReportsSyntaxErrorsWithLineAndColumn) {
  absl::StatusOr<AgentConfig> config =
      Parse("[credential.a]\nprovider = = 1\n");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith("cfg.toml:2:12: "));
}

TEST(ParseConfigTest, RefusesUnknownTopLevelKeys) {
  absl::StatusOr<AgentConfig> config = Parse(
      "[credential.a]\nprovider = \"static\"\nsecret = \"env:A\"\n"
      "[credentials.b]\nprovider = \"static\"\n");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "cfg.toml:4: unknown key \"credentials\" (expected "
            "[credential.NAME] or [store])");
  config = Parse("\nverbose = true\n");
  EXPECT_EQ(config.status().message(),
            "cfg.toml:2: unknown key \"verbose\" (expected [credential.NAME] "
            "or [store])");
}

TEST(ParseConfigTest, CredentialMustHoldTables) {
  EXPECT_EQ(Parse("credential = 1\n").status().message(),
            "cfg.toml:1: \"credential\" must hold tables: write "
            "[credential.NAME]");
  EXPECT_EQ(ErrorOf("[[credential.x]]\nprovider = \"static\"\n"),
            "cfg.toml:1: credential \"x\": expected a table "
            "[credential.NAME], got an array");
  EXPECT_EQ(ErrorOf("[credential]\nx = 1\n"),
            "cfg.toml:2: credential \"x\": expected a table "
            "[credential.NAME], got an integer");
}

TEST(ParseConfigTest, ReadsTheStoreBackend) {
  absl::StatusOr<AgentConfig> config = Parse("[store]\nbackend = \"file\"\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->store_backend, "file");
  ScopedEnv backend("MCPCRED_TEST_BACKEND", "memory");
  config = Parse("[store]\nbackend = \"${MCPCRED_TEST_BACKEND}\"\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->store_backend, "memory");
  EXPECT_EQ(Parse("[store]\nbackend = \"disk\"\n").status().message(),
            "cfg.toml:2: [store]: key \"backend\": unknown store backend "
            "\"disk\"; expected one of auto, secret-service, file, memory");
  EXPECT_EQ(Parse("[store]\nbackend = 1\n").status().message(),
            "cfg.toml:2: [store]: key \"backend\": expected a string, got an "
            "integer");
  EXPECT_EQ(Parse("[store]\npath = \"x\"\n").status().message(),
            "cfg.toml:2: [store]: unknown key \"path\" (expected \"backend\")");
  EXPECT_EQ(Parse("store = \"file\"\n").status().message(),
            "cfg.toml:1: \"store\" must be a table: write [store]");
}

TEST(ParseConfigTest, RefusesBadCredentialNames) {
  EXPECT_EQ(ErrorOf("[credential.\"bad name\"]\nprovider = \"static\"\n"),
            "cfg.toml:1: credential \"bad name\": invalid credential name: use "
            "1 to 64 characters of A-Z a-z 0-9 . _ -");
  const std::string long_name(65, 'a');
  EXPECT_THAT(
      ErrorOf("[credential." + long_name + "]\nprovider = \"static\"\n"),
      HasSubstr("invalid credential name"));
  EXPECT_THAT(ErrorOf("[credential.\"a\\nb\"]\nprovider = \"static\"\n"),
              HasSubstr("credential \"a\\nb\""));
}

// A fresh directory under the test's temporary directory, removed after.
class TempDir {
 public:
  TempDir() : path_(::testing::TempDir() + "mcpcred_config_XXXXXX") {
    EXPECT_NE(mkdtemp(path_.data()), nullptr);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { std::filesystem::remove_all(path_); }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LoadConfigFileTest, ReadsAndParsesTheFile) {
  TempDir dir;
  const std::string path = dir.path() + "/config.toml";
  std::ofstream(path) << "[credential.a]\nprovider = \"nope\"\n";
  absl::StatusOr<AgentConfig> config = LoadConfigFile(path, test_util::Lookup);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->path, path);
  ASSERT_EQ(config->credentials.size(), 1u);
  // Without a list of known providers the message just names the bad one.
  EXPECT_EQ(config->credentials[0].error.message(),
            path +
                ":2: credential \"a\": key \"provider\": unknown provider "
                "\"nope\"");
}

TEST(LoadConfigFileTest, MissingFileIsNotFound) {
  TempDir dir;
  const std::string path = dir.path() + "/absent.toml";
  absl::StatusOr<AgentConfig> config = LoadConfigFile(path, test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(config.status().message(), "config file " + path + " not found");
}

TEST(LoadConfigFileTest, DirectoryIsPermissionDenied) {
  TempDir dir;
  absl::StatusOr<AgentConfig> config =
      LoadConfigFile(dir.path(), test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(config.status().message(),
            "cannot read config file " + dir.path() + ": Is a directory");
}

TEST(LoadConfigFileTest, UnreadableFileIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  const std::string path = dir.path() + "/locked.toml";
  std::ofstream(path) << "";
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  absl::StatusOr<AgentConfig> config = LoadConfigFile(path, test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(config.status().message(),
            "cannot read config file " + path + ": Permission denied");
}

// Another user who can write the config (or swap it in its directory) can
// make the agent run any program: provider = "command".
TEST(LoadConfigFileTest, RefusesAFileOthersCanWrite) {
  TempDir dir;
  const std::string path = dir.path() + "/config.toml";
  std::ofstream(path) << "";
  ASSERT_EQ(chmod(path.c_str(), 0666), 0);
  absl::StatusOr<AgentConfig> config = LoadConfigFile(path, test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(config.status().message(),
            "config file " + path +
                " is writable by group or others (mode 0666): refusing to use "
                "it; run 'chmod go-w " +
                path + "'");
}

TEST(LoadConfigFileTest, RefusesADirectoryOthersCanWrite) {
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0777), 0);
  const std::string path = dir.path() + "/config.toml";
  std::ofstream(path) << "";
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  absl::StatusOr<AgentConfig> config = LoadConfigFile(path, test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(config.status().message(),
              HasSubstr("config directory " + dir.path() +
                        " is writable by group or others (mode 0777)"));
  EXPECT_THAT(config.status().message(),
              HasSubstr("run 'chmod go-w " + dir.path() + "'"));
}

TEST(LoadConfigFileTest, RefusesAFileOfAnotherUser) {
  const struct passwd* nobody = getpwnam("nobody");
  if (geteuid() != 0 || nobody == nullptr) {
    GTEST_SKIP() << "needs root to give a file to nobody";
  }
  TempDir dir;
  const std::string path = dir.path() + "/config.toml";
  std::ofstream(path) << "";
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  ASSERT_EQ(chown(path.c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  absl::StatusOr<AgentConfig> config = LoadConfigFile(path, test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(config.status().message(),
              HasSubstr(absl::StrCat("config file ", path, " belongs to uid ",
                                     nobody->pw_uid)));
  EXPECT_THAT(config.status().message(), HasSubstr("run 'chown 0 " + path));
}

TEST(LoadConfigFileTest, FollowsALinkToAFileOfYoursAndChecksItsDirectory) {
  TempDir dir;
  const std::string real_dir = dir.path() + "/dotfiles";
  ASSERT_EQ(mkdir(real_dir.c_str(), 0755), 0);
  std::ofstream(real_dir + "/config.toml") << "[store]\nbackend = \"memory\"\n";
  ASSERT_EQ(chmod((real_dir + "/config.toml").c_str(), 0644), 0);
  const std::string link = dir.path() + "/config.toml";
  ASSERT_EQ(symlink((real_dir + "/config.toml").c_str(), link.c_str()), 0);
  absl::StatusOr<AgentConfig> config = LoadConfigFile(link, test_util::Lookup);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->store_backend, "memory");

  // The directory the link leads to counts too.
  ASSERT_EQ(chmod(real_dir.c_str(), 0777), 0);
  config = LoadConfigFile(link, test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(config.status().message(),
              HasSubstr("config directory " + real_dir));
}

TEST(LoadConfigFileTest, FifoIsRefusedWithoutBlocking) {
  TempDir dir;
  const std::string path = dir.path() + "/config.toml";
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  absl::StatusOr<AgentConfig> config = LoadConfigFile(path, test_util::Lookup);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(config.status().message(),
            "config file " + path + " is not a regular file");
}

TEST(DescribeKeyErrorTest, PointsAtTheKeyOrElseTheCredential) {
  CredentialConfig c = ParseOne(R"(
[credential.gh]
provider = "static"
secret = "env:GH_PAT"
)");
  ASSERT_TRUE(c.error.ok()) << c.error;
  EXPECT_EQ(DescribeKeyError(kPath, c, "secret", "GH_PAT is not set"),
            "cfg.toml:4: credential \"gh\": key \"secret\": GH_PAT is not set");
  EXPECT_EQ(DescribeKeyError(kPath, c, "scopes", "needs scopes"),
            "cfg.toml:2: credential \"gh\": key \"scopes\": needs scopes");
  EXPECT_EQ(DescribeKeyError(kPath, c, "", "plugin failed"),
            "cfg.toml:2: credential \"gh\": plugin failed");
}

}  // namespace
}  // namespace mcpcred::config

// The agent's internal modules (agent/util/internal_module.h) are loaded
// when first needed, not at start: an idle agent with a memory store maps
// neither libcurl nor libsecret nor GIO, the first HTTP request of a plugin
// maps the http module and libcurl (and nothing else), and an agent whose
// module is missing says which file in the error of what needed it.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ModuleLoadingTest : public AgentTest {
 protected:
  // A static credential and an OAuth client-credentials one whose token
  // endpoint is a loopback port nobody listens on: its fetch makes an HTTP
  // request, which fails.
  void WriteTestConfig() {
    WriteConfig(absl::StrCat("[store]\nbackend = \"memory\"\n\n",
                             StaticCredentialToml("gh"),
                             "\n[credential.svc]\n"
                             "provider = \"oauth2\"\n"
                             "issuer = \"http://127.0.0.1:9\"\n"
                             "token_endpoint = \"http://127.0.0.1:9/token\"\n"
                             "grant = \"client_credentials\"\n"
                             "client_id = \"svc\"\n"
                             "client_secret = \"env:ITEST_SECRET\"\n"
                             "env = { SVC_TOKEN = \"{access_token}\" }\n"));
  }
  // A copy of the agent in a prefix of its own, without
  // lib/mcpcred/modules; returns the prefix.
  std::string AgentWithoutModules() {
    const std::string prefix = base_dir() + "/prefix";
    std::filesystem::create_directories(prefix + "/bin");
    const std::string agent_path = prefix + "/bin/mcpcred-agent";
    std::filesystem::copy_file(AgentBinary(), agent_path);
    chmod(agent_path.c_str(), 0755);
    return prefix;
  }
  // The plugins of the build tree, for agents outside it.
  Environment WithBuildPlugins() const {
    Environment env = BaseEnv();
    env["MCPCRED_PLUGIN_PATH"] =
        absl::StrCat(BUILD_PLUGIN_DIR, ":", env["MCPCRED_PLUGIN_PATH"]);
    return env;
  }
};

constexpr const char* kModuleLibraries[] = {"/libcurl.",        "/libsecret-1.",
                                            "/libgio-2.0.",     "/libglib-2.0.",
                                            "/libgobject-2.0.", "/modules/"};

TEST_F(ModuleLoadingTest, AnIdleAgentMapsNoModule) {
  WriteTestConfig();
  AgentProcess* agent = StartAgent({}, WithBuildPlugins());
  ASSERT_NE(agent, nullptr);
  ASSERT_EQ(Cli({"token", "gh"}).exit_code, 0);
  const std::string maps = agent->Maps();
  for (const char* library : kModuleLibraries) {
    EXPECT_THAT(maps, Not(HasSubstr(library)));
  }
}

TEST_F(ModuleLoadingTest, TheFirstHttpRequestLoadsTheHttpModuleOnly) {
  WriteTestConfig();
  AgentProcess* agent = StartAgent({}, WithBuildPlugins());
  ASSERT_NE(agent, nullptr);
  ASSERT_THAT(agent->Maps(), Not(HasSubstr("/libcurl.")));

  CommandResult token = Cli({"token", "svc"});
  EXPECT_NE(token.exit_code, 0);
  // The request was made (and refused by the closed port).
  EXPECT_THAT(token.err, HasSubstr("127.0.0.1:9/token")) << Show(token);
  EXPECT_THAT(token.err, Not(HasSubstr("module"))) << Show(token);
  const std::string maps = agent->Maps();
  EXPECT_THAT(maps, HasSubstr("/modules/http.so"));
  EXPECT_THAT(maps, HasSubstr("/libcurl."));
  EXPECT_THAT(maps, Not(HasSubstr("/libsecret-1.")));
  EXPECT_THAT(maps, Not(HasSubstr("/libgio-2.0.")));
}

TEST_F(ModuleLoadingTest, AMissingModuleIsOneLineNamingTheFile) {
  const std::string prefix = AgentWithoutModules();
  WriteTestConfig();
  AgentLaunch launch = DefaultLaunch({"-D", "--config", config_path()});
  launch.agent_path = prefix + "/bin/mcpcred-agent";
  launch.env = WithBuildPlugins();
  AgentProcess* agent = LaunchAgent(launch);
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(
      agent->WaitUntilServing(CliSpec({"--socket", socket_path(), "status"}))
          .ok())
      << Hide(agent->Log());
  ASSERT_EQ(Cli({"token", "gh"}).exit_code, 0) << "static needs no module";

  CommandResult token = Cli({"token", "svc"});
  EXPECT_NE(token.exit_code, 0);
  const std::string dir = prefix + "/bin/../" MODULE_RELDIR;
  EXPECT_THAT(token.err, HasSubstr(absl::StrCat(
                             "cannot load the agent's http module ", dir,
                             "/http.so: module directory ", dir, " not found")))
      << Show(token);
  EXPECT_EQ(std::count(token.err.begin(), token.err.end(), '\n'), 1)
      << Show(token);
}

TEST_F(ModuleLoadingTest, CheckReportsEveryMissingModule) {
  const std::string prefix = AgentWithoutModules();
  WriteTestConfig();
  CommandSpec check;
  check.argv = {prefix + "/bin/mcpcred-agent", "--check", "--config",
                config_path()};
  check.env = WithBuildPlugins();
  CommandResult result = RunCommand(check);
  EXPECT_EQ(result.exit_code, 1) << Show(result);
  const std::string dir = prefix + "/bin/../" MODULE_RELDIR;
  for (const char* module : {"http", "secret-service", "desktop-notifier"}) {
    EXPECT_THAT(result.err,
                HasSubstr(absl::StrCat("cannot load the agent's ", module,
                                       " module ", dir, "/", module, ".so")))
        << Show(result);
  }

  // The build tree's agent has them all.
  CommandSpec own = check;
  own.argv[0] = AgentBinary();
  CommandResult ok = RunCommand(own);
  EXPECT_EQ(ok.exit_code, 0) << Show(ok);
}

}  // namespace
}  // namespace mcpcred::testing

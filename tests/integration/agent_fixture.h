// The fixture of every integration suite: a private temporary directory per
// test (socket, config, state, home), a random secret the tests hand to the
// static provider, and helpers that run the real mcpcred-agent, mcpcred and
// mcpcred-exec binaries there.
//
// After each test it stops the agents and checks that no secret of the test
// appears in any agent's log, in the audit log, or in any CLI stderr. Failure
// messages never show a secret: Hide() replaces them.
#ifndef MCPCRED_TESTS_INTEGRATION_AGENT_FIXTURE_H_
#define MCPCRED_TESTS_INTEGRATION_AGENT_FIXTURE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/agent_process.h"
#include "tests/integration/run_command.h"

namespace mcpcred::testing {

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Paths of this test. All are below base_dir(), a fresh 0700 directory
  // with a short name (Unix socket paths are limited to 107 bytes).
  const std::string& base_dir() const { return base_dir_; }
  // The agent creates socket_dir() itself unless a test creates it first.
  std::string socket_dir() const { return base_dir_ + "/sock"; }
  std::string socket_path() const { return socket_dir() + "/agent.sock"; }
  std::string config_path() const { return base_dir_ + "/config.toml"; }
  std::string audit_log_path() const {
    return base_dir_ + "/state/mcpcred/audit.log";
  }

  // A fresh random secret ("itest-secret-<hex>"); every one is checked for
  // leaks at the end of the test. The first is secret().
  std::string NewSecret();
  const std::string& secret() const { return secrets_.front(); }

  // The environment every program gets: XDG dirs, $HOME and $MCPCRED_SOCK
  // inside base_dir(), the test plugin dirs, $ITEST_SECRET = secret().
  Environment BaseEnv() const;

  // Writes config_path().
  void WriteConfig(const std::string& toml);
  // A config with static credential `name` from $ITEST_SECRET:
  // env GITHUB_TOKEN and header Authorization.
  static std::string StaticCredentialToml(
      const std::string& name, const std::string& env_var = "ITEST_SECRET");

  // Starts `mcpcred-agent -D --config config_path()` (plus `extra_args`)
  // and waits until `mcpcred status` answers. The agent's environment is
  // BaseEnv() with `env_overrides`; its $MCPCRED_SOCK is where it is probed.
  // Adds a failure and returns null when it does not serve.
  AgentProcess* StartAgent(const std::vector<std::string>& extra_args = {},
                           const Environment& env_overrides = {});
  // Starts an agent without waiting: for agents that must refuse to start,
  // or custom launches. The log goes to a fresh file in base_dir().
  AgentProcess* LaunchAgent(AgentLaunch launch);
  // A launch of the agent with BaseEnv(), the socket and a fresh log file.
  AgentLaunch DefaultLaunch(const std::vector<std::string>& args) const;

  // Waits until the agent's log holds `needle` at least `count` times: how a
  // test learns that a signal was handled. False past the safety limit.
  bool WaitForLog(AgentProcess* agent, const std::string& needle,
                  int count = 1);

  // An agent this process did not start directly (`mcpcred-agent -s`
  // forks): killed at the end of the test if it still runs.
  void AdoptDaemon(pid_t pid) { daemon_pids_.push_back(pid); }

  // The real clients, with BaseEnv() (plus overrides). Their stderr is
  // checked for secrets at once.
  CommandResult Cli(const std::vector<std::string>& args,
                    const Environment& env_overrides = {},
                    const std::optional<std::string>& stdin_text = {});
  // `mcpcred ARGS...` with `dir` as its working directory. Neither its
  // stdout nor its stderr may hold a secret.
  CommandResult CliIn(const std::string& dir,
                      const std::vector<std::string>& args,
                      const Environment& env_overrides = {});
  CommandResult Exec(const std::vector<std::string>& args,
                     const Environment& env_overrides = {});
  CommandSpec CliSpec(const std::vector<std::string>& args,
                      const Environment& env_overrides = {}) const;
  // Starts `mcpcred ARGS...` without waiting for it; null (after a failure)
  // when it cannot start.
  std::unique_ptr<Subprocess> StartCli(const std::vector<std::string>& args);

  static bool Exists(const std::string& path);

  // `text` with every secret of the test replaced by "<secret>".
  std::string Hide(const std::string& text) const;
  // A result for a failure message: outcome, stdout and stderr, hidden.
  std::string Show(const CommandResult& result) const;
  // True if `text` contains a secret of the test.
  bool ContainsSecret(const std::string& text) const;

  static std::string AgentBinary();
  static std::string CliBinary();
  static std::string ExecBinary();

 private:
  std::string base_dir_;
  std::vector<std::string> secrets_;
  std::vector<std::unique_ptr<AgentProcess>> agents_;
  std::vector<pid_t> daemon_pids_;
  int next_log_ = 0;
};

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_INTEGRATION_AGENT_FIXTURE_H_

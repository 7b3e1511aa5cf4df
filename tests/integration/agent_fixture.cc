#include "tests/integration/agent_fixture.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"

namespace mcpcred::testing {
namespace {

std::string RandomHex(int bytes) {
  std::random_device random;
  std::string hex;
  for (int i = 0; i < bytes; ++i) {
    absl::StrAppend(&hex, absl::Hex(random() & 0xff, absl::kZeroPad2));
  }
  return hex;
}

}  // namespace

std::string AgentTest::AgentBinary() { return MCPCRED_AGENT_BIN; }
std::string AgentTest::CliBinary() { return MCPCRED_CLI_BIN; }
std::string AgentTest::ExecBinary() { return MCPCRED_EXEC_BIN; }

void AgentTest::SetUp() {
  // An agent started with -s daemonizes; as a subreaper this process
  // inherits it and can reap it.
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  // /tmp rather than $TMPDIR: socket paths must stay short.
  char dir[] = "/tmp/mcit-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  base_dir_ = dir;
  ASSERT_EQ(chmod(base_dir_.c_str(), 0700), 0);
  for (const char* sub : {"/home", "/config", "/state", "/run"}) {
    ASSERT_EQ(mkdir((base_dir_ + sub).c_str(), 0700), 0) << sub;
  }
  secrets_.clear();
  NewSecret();
}

void AgentTest::TearDown() {
  for (std::unique_ptr<AgentProcess>& agent : agents_) {
    if (agent->Running()) {
      absl::StatusOr<int> exit_code = agent->Stop();
      EXPECT_TRUE(exit_code.ok() && *exit_code == 0)
          << "agent pid " << agent->pid() << " did not stop cleanly: "
          << (exit_code.ok() ? absl::StrCat("exit ", *exit_code)
                             : exit_code.status().ToString())
          << "\n"
          << Hide(agent->Log());
    }
    EXPECT_FALSE(ContainsSecret(agent->Log()))
        << "a secret leaked into the agent's log " << agent->log_path() << ":\n"
        << Hide(agent->Log());
  }
  agents_.clear();
  for (pid_t pid : daemon_pids_) {
    if (!WaitForPidGone(pid, absl::ZeroDuration())) {
      ADD_FAILURE() << "daemonized agent pid " << pid << " still runs";
      kill(pid, SIGKILL);
      WaitForPidGone(pid, absl::Seconds(30));
    }
  }
  daemon_pids_.clear();
  std::string audit = ReadFileOrEmpty(audit_log_path());
  EXPECT_FALSE(ContainsSecret(audit)) << "a secret leaked into the audit log:\n"
                                      << Hide(audit);
  if (!base_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(base_dir_, ignored);
  }
}

std::string AgentTest::NewSecret() {
  secrets_.push_back(absl::StrCat("itest-secret-", RandomHex(12)));
  return secrets_.back();
}

Environment AgentTest::BaseEnv() const {
  Environment env;
  const char* path = std::getenv("PATH");
  env["PATH"] = path != nullptr ? path : "/usr/bin:/bin";
  env["HOME"] = base_dir_ + "/home";
  env["XDG_CONFIG_HOME"] = base_dir_ + "/config";
  env["XDG_STATE_HOME"] = base_dir_ + "/state";
  env["XDG_RUNTIME_DIR"] = base_dir_ + "/run";
  env["MCPCRED_SOCK"] = socket_path();
  env["MCPCRED_PLUGIN_PATH"] =
      absl::StrCat(MCPCRED_TEST_PLUGIN_DIR, ":", MCPCRED_GATE_PLUGIN_DIR);
  env["ITEST_SECRET"] = secret();
  // Sanitizer settings, if the suite runs under one.
  for (const char* name :
       {"ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  return env;
}

void AgentTest::WriteConfig(const std::string& toml) {
  WriteFileOrDie(config_path(), toml);
}

std::string AgentTest::StaticCredentialToml(const std::string& name,
                                            const std::string& env_var) {
  return absl::StrCat("[credential.", name,
                      "]\n"
                      "provider = \"static\"\n"
                      "secret = \"env:",
                      env_var,
                      "\"\n"
                      "env = { GITHUB_TOKEN = \"{secret}\" }\n"
                      "headers = { Authorization = \"Bearer {secret}\" }\n");
}

AgentLaunch AgentTest::DefaultLaunch(
    const std::vector<std::string>& args) const {
  AgentLaunch launch;
  launch.agent_path = AgentBinary();
  launch.args = args;
  launch.env = BaseEnv();
  launch.socket_path = socket_path();
  return launch;
}

AgentProcess* AgentTest::LaunchAgent(AgentLaunch launch) {
  if (launch.log_path.empty()) {
    launch.log_path = absl::StrCat(base_dir_, "/agent-", next_log_++, ".log");
  }
  absl::StatusOr<std::unique_ptr<AgentProcess>> agent =
      AgentProcess::Start(launch);
  if (!agent.ok()) {
    ADD_FAILURE() << "cannot start the agent: " << agent.status();
    return nullptr;
  }
  agents_.push_back(*std::move(agent));
  return agents_.back().get();
}

AgentProcess* AgentTest::StartAgent(const std::vector<std::string>& extra_args,
                                    const Environment& env_overrides) {
  std::vector<std::string> args = {"-D", "--config", config_path()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  AgentLaunch launch = DefaultLaunch(args);
  for (const auto& [key, value] : env_overrides) launch.env[key] = value;
  launch.socket_path = launch.env["MCPCRED_SOCK"];
  AgentProcess* agent = LaunchAgent(launch);
  if (agent == nullptr) return nullptr;
  absl::Status serving = agent->WaitUntilServing(
      CliSpec({"--socket", launch.socket_path, "status"}));
  if (!serving.ok()) {
    ADD_FAILURE() << "the agent does not serve: " << serving << "\nits log:\n"
                  << Hide(agent->Log());
    return nullptr;
  }
  return agent;
}

bool AgentTest::WaitForLog(AgentProcess* agent, const std::string& needle,
                           int count) {
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (true) {
    std::string log = agent->Log();
    int found = 0;
    for (size_t pos = log.find(needle); pos != std::string::npos;
         pos = log.find(needle, pos + needle.size())) {
      ++found;
    }
    if (found >= count) return true;
    if (absl::Now() > deadline || !agent->Running()) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

CommandSpec AgentTest::CliSpec(const std::vector<std::string>& args,
                               const Environment& env_overrides) const {
  CommandSpec spec;
  spec.argv = {CliBinary()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = BaseEnv();
  for (const auto& [key, value] : env_overrides) spec.env[key] = value;
  return spec;
}

CommandResult AgentTest::Cli(const std::vector<std::string>& args,
                             const Environment& env_overrides,
                             const std::optional<std::string>& stdin_text) {
  CommandSpec spec = CliSpec(args, env_overrides);
  spec.stdin_text = stdin_text;
  CommandResult result = RunCommand(spec);
  EXPECT_FALSE(ContainsSecret(result.err))
      << "a secret leaked into mcpcred's stderr: " << Hide(result.err);
  return result;
}

CommandResult AgentTest::CliIn(const std::string& dir,
                               const std::vector<std::string>& args,
                               const Environment& env_overrides) {
  CommandSpec spec = CliSpec(args, env_overrides);
  std::vector<std::string> argv = {
      "/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir};
  argv.insert(argv.end(), spec.argv.begin(), spec.argv.end());
  spec.argv = std::move(argv);
  CommandResult result = RunCommand(spec);
  EXPECT_FALSE(ContainsSecret(result.out))
      << "a secret leaked into mcpcred's stdout: " << Hide(result.out);
  EXPECT_FALSE(ContainsSecret(result.err))
      << "a secret leaked into mcpcred's stderr: " << Hide(result.err);
  return result;
}

CommandResult AgentTest::Exec(const std::vector<std::string>& args,
                              const Environment& env_overrides) {
  CommandSpec spec;
  spec.argv = {ExecBinary()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = BaseEnv();
  for (const auto& [key, value] : env_overrides) spec.env[key] = value;
  CommandResult result = RunCommand(spec);
  EXPECT_FALSE(ContainsSecret(result.err))
      << "a secret leaked into mcpcred-exec's stderr: " << Hide(result.err);
  return result;
}

std::string AgentTest::Hide(const std::string& text) const {
  std::string hidden = text;
  for (const std::string& secret : secrets_) {
    hidden = absl::StrReplaceAll(hidden, {{secret, "<secret>"}});
  }
  return hidden;
}

std::string AgentTest::Show(const CommandResult& result) const {
  return absl::StrCat(result.Outcome(), "\n--- stdout:\n", Hide(result.out),
                      "--- stderr:\n", Hide(result.err));
}

bool AgentTest::ContainsSecret(const std::string& text) const {
  for (const std::string& secret : secrets_) {
    if (text.find(secret) != std::string::npos) return true;
  }
  return false;
}

std::unique_ptr<Subprocess> AgentTest::StartCli(
    const std::vector<std::string>& args) {
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(CliSpec(args));
  EXPECT_TRUE(child.ok()) << child.status();
  return child.ok() ? *std::move(child) : nullptr;
}

bool AgentTest::Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace mcpcred::testing

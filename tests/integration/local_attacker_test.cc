// What another local user (or a careless setup) can do to a running agent:
// rewrite a config others may write, plant a FIFO as a file: secret, leave a
// command's processes behind, flood the socket, send megabyte names, fill the
// audit log's disk. Where another user acts, the test acts as uid nobody
// (setpriv) and skips when it cannot.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "mcpcred/v1/agent.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

// True once `pid` has exited: reaped (this process is a subreaper, so an
// orphan becomes its child), gone, or a zombie.
bool Gone(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == pid) return true;
  if (kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::string stat = ReadFileOrEmpty(absl::StrCat("/proc/", pid, "/stat"));
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && stat.size() > paren + 2 &&
         stat[paren + 2] == 'Z';
}

bool GoneWithin(pid_t pid, absl::Duration limit) {
  const absl::Time deadline = absl::Now() + limit;
  while (!Gone(pid)) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

// The pid a script wrote to `path`, waiting for it to appear; 0 if none.
pid_t PidFromFile(const std::string& path) {
  for (int i = 0; i < 500; ++i) {
    std::string text(absl::StripAsciiWhitespace(ReadFileOrEmpty(path)));
    int pid = 0;
    if (!text.empty() && absl::SimpleAtoi(text, &pid) && pid > 0) return pid;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return 0;
}

class LocalAttackerTest : public AgentTest {
 protected:
  // Whether the test can act as uid nobody: root, with setpriv.
  static bool CanActAsNobody() {
    return geteuid() == 0 && getpwnam("nobody") != nullptr &&
           !FindProgram("setpriv").empty();
  }

  // Runs `argv` as uid nobody, as the other local user would.
  CommandResult AsNobody(const std::vector<std::string>& argv,
                         const std::optional<std::string>& stdin_text = {}) {
    CommandSpec spec;
    spec.argv = {FindProgram("setpriv"), "--reuid=nobody", "--regid=nogroup",
                 "--clear-groups"};
    spec.argv.insert(spec.argv.end(), argv.begin(), argv.end());
    spec.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/nonexistent"}};
    spec.stdin_text = stdin_text;
    return RunCommand(spec);
  }

  // A script in base_dir(), mode 0700.
  std::string WriteScript(const std::string& name, const std::string& body) {
    std::string path = base_dir() + "/" + name;
    WriteFileOrDie(path, "#!/bin/sh\n" + body, 0700);
    return path;
  }

  struct SlowCommand {
    AgentProcess* agent = nullptr;  // null if it did not start
    std::unique_ptr<Subprocess> cli;
  };
  // Starts an agent whose credential "slow" runs a script with `body`, and a
  // `mcpcred token slow` that waits for it.
  SlowCommand StartSlowCommand(const std::string& body) {
    WriteConfig(CommandToml("slow", WriteScript("slow.sh", body)));
    SlowCommand slow;
    slow.agent = StartAgent();
    if (slow.agent == nullptr) return slow;
    absl::StatusOr<std::unique_ptr<Subprocess>> cli =
        Subprocess::Start(CliSpec({"token", "slow"}));
    EXPECT_TRUE(cli.ok()) << cli.status();
    if (cli.ok()) slow.cli = *std::move(cli);
    return slow;
  }

  static std::string CommandToml(const std::string& name,
                                 const std::string& command) {
    return absl::StrCat("[credential.", name,
                        "]\n"
                        "provider = \"command\"\n"
                        "command = [\"",
                        command,
                        "\"]\n"
                        "timeout_seconds = 120\n"
                        "env = { TOKEN = \"{access_token}\" }\n");
  }
};

// Finding: a config file others could write was loaded silently; another
// user rewrote a credential as provider = "command" and the agent ran it.
TEST_F(LocalAttackerTest, ConfigOthersCanWriteIsNotReloaded) {
  if (!CanActAsNobody()) GTEST_SKIP() << "needs root and setpriv";
  WriteConfig(StaticCredentialToml("gh"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  // The careless step: the file (and the way to it) left open to others.
  ASSERT_EQ(chmod(base_dir().c_str(), 0711), 0);
  ASSERT_EQ(chmod(config_path().c_str(), 0666), 0);
  const std::string marker = base_dir() + "/ran-as-agent";
  const std::string evil = absl::StrCat(
      "[credential.evil]\nprovider = \"command\"\n"
      "command = [\"/bin/sh\", \"-c\", \"touch ",
      marker, "; echo '{\\\"access_token\\\": \\\"x\\\"}'\"]\n");
  CommandResult wrote = AsNobody({"sh", "-c", "cat > " + config_path()}, evil);
  ASSERT_EQ(wrote.exit_code, 0) << Show(wrote);

  ASSERT_TRUE(agent->Signal(SIGHUP).ok());
  ASSERT_TRUE(WaitForLog(agent, "reload failed")) << Hide(agent->Log());

  EXPECT_TRUE(absl::StrContains(agent->Log(), "chmod go-w " + config_path()))
      << Hide(agent->Log());
  CommandResult token = Cli({"token", "evil"});
  EXPECT_NE(token.exit_code, 0) << Show(token);
  EXPECT_FALSE(std::ifstream(marker).good())
      << "the agent ran the other user's command";
  CommandResult gh = Cli({"token", "gh"});
  EXPECT_EQ(gh.exit_code, 0)
      << "the old config must keep serving: " << Show(gh);
}

TEST_F(LocalAttackerTest, ConfigOfAnotherUserRefusesToStart) {
  if (!CanActAsNobody()) GTEST_SKIP() << "needs root and setpriv";
  const struct passwd* nobody = getpwnam("nobody");
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_EQ(chmod(config_path().c_str(), 0644), 0);
  ASSERT_EQ(chown(config_path().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  AgentProcess* agent =
      LaunchAgent(DefaultLaunch({"-D", "--config", config_path()}));
  ASSERT_NE(agent, nullptr);

  absl::StatusOr<int> exit_code = agent->WaitExit();

  EXPECT_TRUE(exit_code.ok() && *exit_code != 0) << Hide(agent->Log());
  EXPECT_TRUE(absl::StrContains(
      agent->Log(), absl::StrCat("config file ", config_path(),
                                 " belongs to uid ", nobody->pw_uid)))
      << Hide(agent->Log());
  EXPECT_TRUE(absl::StrContains(agent->Log(), "chown 0 " + config_path()))
      << Hide(agent->Log());
}

// Finding: a file: secret that is a FIFO blocked the reload in the signal
// thread forever; SIGTERM was then never handled.
TEST_F(LocalAttackerTest, FifoSecretNeitherHangsAReloadNorTheStop) {
  const std::string secret_file = base_dir() + "/token";
  WriteFileOrDie(secret_file, secret() + "\n", 0600);
  WriteConfig(absl::StrCat("[credential.gh]\nprovider = \"static\"\n",
                           "secret = \"file:", secret_file, "\"\n"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  ASSERT_EQ(unlink(secret_file.c_str()), 0);
  ASSERT_EQ(mkfifo(secret_file.c_str(), 0600), 0);

  ASSERT_TRUE(agent->Signal(SIGHUP).ok());
  EXPECT_TRUE(WaitForLog(agent, "reloaded " + config_path()))
      << Hide(agent->Log());
  EXPECT_TRUE(absl::StrContains(agent->Log(), "is not a regular file"))
      << Hide(agent->Log());

  absl::StatusOr<int> stopped = agent->Stop(absl::Seconds(10));
  EXPECT_TRUE(stopped.ok() && *stopped == 0)
      << "SIGTERM must stop the agent: "
      << (stopped.ok() ? absl::StrCat("exit ", *stopped)
                       : stopped.status().ToString());
}

// Finding: a command's process outlived the agent. PR_SET_PDEATHSIG has the
// kernel kill it even when the agent gets SIGKILL.
TEST_F(LocalAttackerTest, CommandDiesWithTheAgentEvenBySigkill) {
  const std::string pid_file = base_dir() + "/child.pid";
  SlowCommand slow =
      StartSlowCommand("echo $$ > " + pid_file + "\nexec sleep 60\n");
  ASSERT_NE(slow.agent, nullptr);
  pid_t child = PidFromFile(pid_file);
  ASSERT_GT(child, 0) << "the command did not start: "
                      << Hide(slow.agent->Log());

  ASSERT_TRUE(slow.agent->Signal(SIGKILL).ok());

  EXPECT_TRUE(GoneWithin(child, absl::Seconds(5)))
      << "the command's process " << child << " outlived the agent";
  if (!Gone(child)) kill(child, SIGKILL);
  (void)slow.agent->WaitExit();
}

// At a stop, the command's whole process group goes, helpers included, and
// the agent does not wait for it.
TEST_F(LocalAttackerTest, CommandAndItsHelpersStopWithTheAgent) {
  const std::string pid_file = base_dir() + "/child.pid";
  const std::string helper_file = base_dir() + "/helper.pid";
  SlowCommand slow = StartSlowCommand("sleep 60 &\necho $! > " + helper_file +
                                      "\necho $$ > " + pid_file + "\nwait\n");
  ASSERT_NE(slow.agent, nullptr);
  pid_t child = PidFromFile(pid_file);
  pid_t helper = PidFromFile(helper_file);
  ASSERT_GT(child, 0) << Hide(slow.agent->Log());
  ASSERT_GT(helper, 0) << Hide(slow.agent->Log());

  const absl::Time start = absl::Now();
  absl::StatusOr<int> stopped = slow.agent->Stop(absl::Seconds(10));

  EXPECT_TRUE(stopped.ok() && *stopped == 0) << Hide(slow.agent->Log());
  // Not the 5 s grace period for stuck providers.
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));
  EXPECT_TRUE(GoneWithin(child, absl::Seconds(3))) << "command " << child;
  EXPECT_TRUE(GoneWithin(helper, absl::Seconds(3))) << "helper " << helper;
  for (pid_t pid : {child, helper}) {
    if (!Gone(pid)) kill(pid, SIGKILL);
  }
}

// Finding: errors about a command quoted ${VAR}-expanded values; they must
// show what the config says. $ITEST_SECRET is checked for leaks in the log
// and in every CLI stderr by the fixture.
TEST_F(LocalAttackerTest, CommandErrorsShowTheConfigNotTheEnvironment) {
  // Fails at create: no such program.
  std::string config =
      CommandToml("missing", "/nonexistent/${ITEST_SECRET}/get-token");
  // Fails at fetch: a program whose path holds the secret exits 3.
  WriteScript(secret() + ".sh", "echo nope >&2\nexit 3\n");
  config += CommandToml("failing", "${ITEST_TOOL}");
  WriteConfig(config);
  ASSERT_NE(
      StartAgent({}, {{"ITEST_TOOL", base_dir() + "/" + secret() + ".sh"}}),
      nullptr);

  CommandResult list = Cli({"list"});
  CommandResult fetch = Cli({"token", "failing"});

  EXPECT_FALSE(ContainsSecret(list.out)) << Show(list);
  EXPECT_TRUE(
      absl::StrContains(list.out, "/nonexistent/${ITEST_SECRET}/get-token"))
      << Show(list);
  EXPECT_NE(fetch.exit_code, 0) << Show(fetch);
  EXPECT_TRUE(absl::StrContains(fetch.err, "command \"${ITEST_TOOL}\""))
      << Show(fetch);
}

// Finding: Login and Logout echoed a 1 MB name back in their error.
TEST_F(LocalAttackerTest, MegabyteNamesAreRefusedNotEchoed) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  auto stub = v1::Agent::NewStub(grpc::CreateChannel(
      "unix:" + socket_path(), grpc::InsecureChannelCredentials()));
  const std::string huge(1 << 20, 'n');

  grpc::ClientContext logout_context;
  v1::LogoutRequest logout;
  logout.set_name(huge);
  v1::LogoutResponse logged_out;
  grpc::Status out = stub->Logout(&logout_context, logout, &logged_out);

  grpc::ClientContext login_context;
  v1::LoginRequest login;
  login.set_name(huge);
  auto reader = stub->Login(&login_context, login);
  v1::LoginEvent event;
  while (reader->Read(&event)) {
  }
  grpc::Status in = reader->Finish();

  for (const grpc::Status& status : {out, in}) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_code();
    EXPECT_LT(status.error_message().size(), 200u);
  }
}

// Finding: no cap on connections; then a cap that a flood filled, after which
// the person's own CLI was refused. Connections that never speak now stay
// out of gRPC and the oldest make room, and connections that spoke and then
// stalled stay under a larger cap: the CLI is served while thousands of
// both are held.
TEST_F(LocalAttackerTest, IdleAndSlowConnectionsDoNotStopTheAgentServing) {
  constexpr int kSilent = 3000;  // more than the agent keeps waiting
  constexpr int kStalled = 300;  // send the HTTP/2 preface, then nothing
  struct rlimit limit;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < kSilent + kStalled + 256) {
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 8192);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  if (limit.rlim_cur < kSilent + kStalled + 256) {
    GTEST_SKIP() << "needs " << kSilent + kStalled + 256 << " descriptors";
  }
  WriteConfig(StaticCredentialToml("gh"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path().c_str(), sizeof(addr.sun_path) - 1);
  auto connect_one = [&addr]() {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, reinterpret_cast<const sockaddr*>(&addr),
                           sizeof(addr)) != 0) {
      close(fd);
      return -1;
    }
    return fd;
  };
  std::vector<int> stalled;
  static constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  for (int i = 0; i < kStalled; ++i) {
    int fd = connect_one();
    ASSERT_GE(fd, 0) << i << ": " << strerror(errno);
    ASSERT_EQ(write(fd, kPreface, sizeof(kPreface) - 1),
              static_cast<ssize_t>(sizeof(kPreface) - 1));
    stalled.push_back(fd);
  }
  std::vector<int> silent;
  for (int i = 0; i < kSilent; ++i) {
    int fd = connect_one();
    ASSERT_GE(fd, 0) << i << ": " << strerror(errno);
    silent.push_back(fd);
  }

  // Served while every one of them is held.
  CommandResult token = Cli({"token", "gh"});
  EXPECT_EQ(token.exit_code, 0) << Show(token);
  EXPECT_TRUE(token.out == secret() + "\n") << "token differs (hidden)";
  EXPECT_TRUE(agent->Running());
  int closed = 0;
  for (int fd : silent) {
    char byte;
    // The agent closed it: end of file. Open ones hold nothing yet.
    if (recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0) ++closed;
  }
  EXPECT_GE(closed, kSilent - 1024) << "the oldest silent ones make room";
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(agent->Log(), '\n')) {
    if (absl::StrContains(line, "waiting for their clients to speak")) ++lines;
  }
  EXPECT_GE(lines, 1);
  EXPECT_LE(lines, 2) << Hide(agent->Log());

  for (int fd : silent) close(fd);
  for (int fd : stalled) close(fd);
  CommandResult status = Cli({"status"});
  EXPECT_EQ(status.exit_code, 0) << Show(status);
}

// Finding: the audit log failed open silently. `mcpcred status` says so.
TEST_F(LocalAttackerTest, StatusSaysWhenTheAuditLogCannotBeWritten) {
  WriteConfig(StaticCredentialToml("gh"));
  // The audit log's place is taken by a directory: it cannot be opened.
  ASSERT_EQ(mkdir((base_dir() + "/state/mcpcred").c_str(), 0700), 0);
  ASSERT_EQ(mkdir(audit_log_path().c_str(), 0700), 0);
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult status = Cli({"status"});
  CommandResult json = Cli({"status", "--json"});

  EXPECT_EQ(status.exit_code, 0) << Show(status);
  EXPECT_TRUE(absl::StrContains(
      status.out, "audit log:       NOT RECORDING: cannot open audit log " +
                      audit_log_path() + ": Is a directory"))
      << Show(status);
  nlohmann::json parsed = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << Show(json);
  EXPECT_TRUE(absl::StartsWith(parsed.value("audit_error", ""),
                               "cannot open audit log"))
      << Show(json);
}

}  // namespace
}  // namespace mcpcred::testing

// The agent's socket: modes, refusals (unsafe directory, another agent,
// another uid), stale files, clean stops, -s/-k, systemd socket activation.
#include <grp.h>
#include <grpcpp/grpcpp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "mcpcred/v1/agent.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

class SocketTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    WriteConfig(StaticCredentialToml("gh"));
  }

  // The token of "gh" is the secret: the agent serves.
  void ExpectServes(const std::vector<std::string>& cli_options = {}) {
    std::vector<std::string> args = cli_options;
    args.push_back("token");
    args.push_back("gh");
    CommandResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 0) << Show(result);
    EXPECT_TRUE(result.out == secret() + "\n")
        << "token differs (secret hidden): " << Hide(result.out);
  }

  // Launches an agent that is expected to refuse to start; returns its log.
  std::string ExpectRefusesToStart() {
    AgentProcess* agent =
        LaunchAgent(DefaultLaunch({"-D", "--config", config_path()}));
    if (agent == nullptr) return "";
    absl::StatusOr<int> exit_code = agent->WaitExit();
    EXPECT_TRUE(exit_code.ok() && *exit_code != 0)
        << "the agent should exit with an error: "
        << (exit_code.ok() ? absl::StrCat("exit ", *exit_code)
                           : exit_code.status().ToString())
        << "\n"
        << Hide(agent->Log());
    return agent->Log();
  }

  static mode_t ModeOf(const std::string& path) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return static_cast<mode_t>(-1);
    return st.st_mode;
  }
  static bool Exists(const std::string& path) {
    struct stat st;
    return lstat(path.c_str(), &st) == 0;
  }
};

TEST_F(SocketTest, DirectoryIs0700AndSocketIs0600) {
  ASSERT_NE(StartAgent(), nullptr);

  mode_t dir = ModeOf(socket_dir());
  mode_t sock = ModeOf(socket_path());
  EXPECT_TRUE(S_ISDIR(dir));
  EXPECT_EQ(dir & 07777, 0700u) << std::oct << (dir & 07777);
  EXPECT_TRUE(S_ISSOCK(sock));
  EXPECT_EQ(sock & 07777, 0600u) << std::oct << (sock & 07777);
}

TEST_F(SocketTest, CreatesMissingParentDirectories) {
  std::string nested = base_dir() + "/a/b/agent.sock";
  ASSERT_NE(StartAgent({"--socket", nested}, {{"MCPCRED_SOCK", nested}}),
            nullptr);

  EXPECT_EQ(ModeOf(base_dir() + "/a/b") & 07777, 0700u);
  EXPECT_EQ(ModeOf(nested) & 07777, 0600u);
}

TEST_F(SocketTest, RefusesAGroupOrWorldAccessibleDirectory) {
  for (mode_t mode : {0750, 0705, 0777}) {
    SCOPED_TRACE(absl::StrCat("mode ", absl::Hex(mode)));
    rmdir(socket_dir().c_str());
    ASSERT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
    ASSERT_EQ(chmod(socket_dir().c_str(), mode), 0);

    std::string log = ExpectRefusesToStart();

    EXPECT_TRUE(absl::StrContains(log, "chmod 700")) << Hide(log);
    EXPECT_TRUE(absl::StrContains(log, socket_dir())) << Hide(log);
    EXPECT_FALSE(Exists(socket_path())) << "a socket was created anyway";
    EXPECT_EQ(ModeOf(socket_dir()) & 07777, mode)
        << "the agent must not change a directory it refuses";
  }
}

TEST_F(SocketTest, RefusesADirectoryOwnedByAnotherUser) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to chown the socket directory to nobody";
  }
  struct passwd* nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  ASSERT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
  ASSERT_EQ(chown(socket_dir().c_str(), nobody->pw_uid, nobody->pw_gid), 0);

  std::string log = ExpectRefusesToStart();

  EXPECT_TRUE(absl::StrContains(log, socket_dir())) << Hide(log);
  EXPECT_TRUE(absl::StrContains(log, absl::StrCat("uid ", nobody->pw_uid)))
      << Hide(log);
  EXPECT_FALSE(Exists(socket_path())) << "a socket was created anyway";
}

TEST_F(SocketTest, RefusesASymlinkedDirectorySayingWhatToDo) {
  // A link to a perfectly private directory: still refused, since whoever
  // controls the link chooses where the socket goes. The message used to
  // say "is not a directory", which `ls` contradicts.
  const std::string real = base_dir() + "/real";
  ASSERT_EQ(mkdir(real.c_str(), 0700), 0);
  ASSERT_EQ(symlink(real.c_str(), socket_dir().c_str()), 0);

  std::string log = ExpectRefusesToStart();

  EXPECT_TRUE(absl::StrContains(
      log, socket_dir() + " is a symbolic link (to " + real + ")"))
      << Hide(log);
  EXPECT_TRUE(absl::StrContains(log, "mkdir -m 700 " + socket_dir()))
      << Hide(log);
  EXPECT_FALSE(Exists(real + "/agent.sock")) << "a socket was created anyway";
}

// Another user could replace the socket through a parent directory: the agent
// will not serve there, and a client will not go there.
TEST_F(SocketTest, RefusesAParentDirectoryWritableByOthers) {
  ASSERT_EQ(chmod(base_dir().c_str(), 0777), 0);

  std::string log = ExpectRefusesToStart();

  EXPECT_TRUE(absl::StrContains(log, "unsafe socket path: " + base_dir() +
                                         " is writable by group or "
                                         "others (mode 0777)"))
      << Hide(log);
  EXPECT_TRUE(absl::StrContains(log, "chmod go-w " + base_dir())) << Hide(log);
  EXPECT_FALSE(Exists(socket_path())) << "a socket was created anyway";
}

TEST_F(SocketTest, RefusesAParentDirectoryOwnedByAnotherUser) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to chown a parent directory to nobody";
  }
  struct passwd* nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  std::string parent = base_dir() + "/parent";
  ASSERT_EQ(mkdir(parent.c_str(), 0755), 0);
  ASSERT_EQ(chown(parent.c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  std::string nested = parent + "/sock/agent.sock";
  AgentLaunch launch = DefaultLaunch({"-D", "--config", config_path()});
  launch.args.push_back("--socket");
  launch.args.push_back(nested);
  AgentProcess* agent = LaunchAgent(launch);
  ASSERT_NE(agent, nullptr);
  absl::StatusOr<int> exit_code = agent->WaitExit();
  EXPECT_TRUE(exit_code.ok() && *exit_code != 0) << Hide(agent->Log());

  std::string log = agent->Log();
  EXPECT_TRUE(absl::StrContains(
      log, absl::StrCat(parent, " belongs to uid ", nobody->pw_uid)))
      << Hide(log);
  EXPECT_TRUE(absl::StrContains(log, "chown 0 " + parent)) << Hide(log);
  EXPECT_FALSE(Exists(nested)) << "a socket was created anyway";
}

TEST_F(SocketTest, ClientRefusesAParentDirectoryWritableByOthers) {
  ASSERT_NE(StartAgent(), nullptr);
  ASSERT_EQ(chmod(base_dir().c_str(), 0777), 0);

  CommandResult result = Cli({"token", "gh"});

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_FALSE(ContainsSecret(result.out));
  EXPECT_EQ(result.err,
            absl::StrCat("mcpcred: unsafe socket path: ", base_dir(),
                         " is writable by group or others (mode 0777), who "
                         "could replace the agent's socket: run 'chmod go-w ",
                         base_dir(), "'\n"))
      << Show(result);
  ASSERT_EQ(chmod(base_dir().c_str(), 0700), 0);
  ExpectServes();
}

TEST_F(SocketTest, ClientRefusesAParentDirectoryOwnedByAnotherUser) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to chown a parent directory to nobody";
  }
  struct passwd* nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  ASSERT_NE(StartAgent(), nullptr);
  ASSERT_EQ(chown(base_dir().c_str(), nobody->pw_uid, nobody->pw_gid), 0);

  CommandResult result = Cli({"token", "gh"});

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_FALSE(ContainsSecret(result.out));
  EXPECT_TRUE(absl::StartsWith(
      result.err, absl::StrCat("mcpcred: unsafe socket path: ", base_dir(),
                               " belongs to uid ", nobody->pw_uid)))
      << Show(result);
  EXPECT_TRUE(absl::StrContains(result.err, "chown 0 " + base_dir()))
      << Show(result);
  ASSERT_EQ(chown(base_dir().c_str(), 0, 0), 0);
}

TEST_F(SocketTest, RefusesASecondAgentOnTheSameSocket) {
  AgentProcess* first = StartAgent();
  ASSERT_NE(first, nullptr);

  std::string log = ExpectRefusesToStart();

  EXPECT_TRUE(absl::StrContains(log, "already running")) << Hide(log);
  EXPECT_TRUE(first->Running());
  EXPECT_TRUE(Exists(socket_path())) << "the second agent removed the socket";
  ExpectServes();
}

TEST_F(SocketTest, RemovesAStaleSocketFileAndStarts) {
  // A socket file nobody listens on, as a crashed agent leaves behind.
  ASSERT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path().c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
  ASSERT_TRUE(S_ISSOCK(ModeOf(socket_path())));
  ASSERT_FALSE(SocketAccepts(socket_path()));

  ASSERT_NE(StartAgent(), nullptr);

  ExpectServes();
}

TEST_F(SocketTest, RefusesToReplaceAFileThatIsNotASocket) {
  ASSERT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
  WriteFileOrDie(socket_path(), "not a socket\n");

  std::string log = ExpectRefusesToStart();

  EXPECT_TRUE(absl::StrContains(log, "not a socket")) << Hide(log);
  EXPECT_EQ(ReadFileOrEmpty(socket_path()), "not a socket\n");
}

TEST_F(SocketTest, AnotherUidIsRefused) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to run the client as nobody (setpriv)";
  }
  std::string setpriv = FindProgram("setpriv");
  if (setpriv.empty()) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  ASSERT_NE(getpwnam("nobody"), nullptr);
  ASSERT_NE(getgrnam("nogroup"), nullptr);
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  // Let nobody reach the socket: only the agent's own check stands between.
  ASSERT_EQ(chmod(base_dir().c_str(), 0711), 0);
  ASSERT_EQ(chmod(socket_dir().c_str(), 0711), 0);
  ASSERT_EQ(chmod(socket_path().c_str(), 0666), 0);

  CommandSpec spec = CliSpec({"token", "gh"});
  spec.argv.insert(spec.argv.begin(), {setpriv, "--reuid=nobody",
                                       "--regid=nogroup", "--clear-groups"});
  spec.env["HOME"] = "/nonexistent";
  CommandResult result = RunCommand(spec);

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  // Not a setpriv or exec failure: the client itself ran, and refused an
  // agent of another uid (root's) before sending anything.
  EXPECT_EQ(result.err,
            absl::StrCat("mcpcred: refusing the agent at ", socket_path(),
                         ": it runs as uid 0, not as you (uid ",
                         getpwnam("nobody")->pw_uid, ")\n"))
      << Show(result);
  EXPECT_FALSE(ContainsSecret(result.out)) << "nobody got the secret";
  EXPECT_TRUE(WaitForLog(agent, "refused a connection from uid"))
      << Hide(agent->Log());
  // The agent goes on serving its own user.
  ExpectServes();
}

TEST_F(SocketTest, SigtermStopsCleanlyAndRemovesTheSocket) {
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(Exists(socket_path()));

  absl::StatusOr<int> exit_code = agent->Stop();

  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << Hide(agent->Log());
  EXPECT_FALSE(Exists(socket_path()));
}

TEST_F(SocketTest, SigintStopsCleanlyAndRemovesTheSocket) {
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);

  ASSERT_TRUE(agent->Signal(SIGINT).ok());
  absl::StatusOr<int> exit_code = agent->WaitExit();

  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << Hide(agent->Log());
  EXPECT_FALSE(Exists(socket_path()));
}

// A stop must not wait for a provider before closing the door: the socket
// goes at once, while a fetch is still held open by the gate provider.
TEST_F(SocketTest, SigtermDuringAFetchRemovesTheSocketAtOnce) {
  std::string gate_dir = base_dir() + "/gate";
  ASSERT_EQ(mkdir(gate_dir.c_str(), 0700), 0);
  WriteConfig(StaticCredentialToml("gh") +
              absl::StrCat("[credential.slow]\n"
                           "provider = \"gate\"\n"
                           "dir = \"",
                           gate_dir,
                           "\"\n"
                           "env = { SLOW_TOKEN = \"{access_token}\" }\n"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  absl::StatusOr<std::unique_ptr<Subprocess>> slow =
      Subprocess::Start(CliSpec({"token", "slow"}));
  ASSERT_TRUE(slow.ok()) << slow.status();
  absl::Time limit = absl::Now() + absl::Seconds(30);
  while (!Exists(gate_dir + "/started") && absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(Exists(gate_dir + "/started")) << "the slow fetch never began";

  ASSERT_TRUE(agent->Signal(SIGTERM).ok());
  while (Exists(socket_path()) && absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_FALSE(Exists(socket_path()))
      << "the socket stays while a fetch is in flight";
  // The fetch is still held by the gate (no release yet): the socket went
  // without waiting for it. The client may already have been told the agent
  // is going (its connection shut down); then it must have failed, not
  // answered.
  if ((*slow)->Finished()) {
    CommandResult early = (*slow)->Wait();
    EXPECT_NE(early.exit_code, 0) << Show(early);
  }

  WriteFileOrDie(gate_dir + "/release", "");
  absl::StatusOr<int> exit_code = agent->WaitExit();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << Hide(agent->Log());
  // The in-flight request gets an answer or an error, never a hang.
  CommandResult slow_result = (*slow)->Wait();
  EXPECT_FALSE(slow_result.timed_out);
}

// A stop during a login (here one waiting for the browser's redirect to its
// loopback listener) cancels the login, tells its client why, and the agent
// exits cleanly, having joined the login's thread. (Before: the login thread
// was detached, the client saw its call cut off, and a timer was to _exit
// the agent 5 s after the signal.)
TEST_F(SocketTest, SigtermDuringALoginTellsTheClientAndExitsCleanly) {
  WriteConfig(
      "[store]\nbackend = \"memory\"\n"
      "[credential.svc]\nprovider = \"oauth2\"\n"
      "issuer = \"https://auth.example.test\"\n"
      "authorization_endpoint = \"https://auth.example.test/authorize\"\n"
      "token_endpoint = \"https://auth.example.test/token\"\n"
      "client_id = \"itest\"\n"
      "headers = { Authorization = \"Bearer {access_token}\" }\n");
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  auto stub = v1::Agent::NewStub(grpc::CreateChannel(
      "unix:" + socket_path(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  v1::LoginRequest request;
  request.set_name("svc");
  auto reader = stub->Login(&context, request);
  v1::LoginEvent event;
  ASSERT_TRUE(reader->Read(&event)) << reader->Finish().error_message();
  // The URL to open: the login now waits for the browser to come back.
  ASSERT_TRUE(event.has_open_url()) << event.DebugString();

  ASSERT_TRUE(agent->Signal(SIGTERM).ok());
  while (reader->Read(&event)) {
  }
  grpc::Status status = reader->Finish();
  absl::StatusOr<int> exit_code = agent->WaitExit();

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_code() << ": " << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(),
                                "the agent stopped before the login ended"))
      << status.error_message();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << Hide(agent->Log());
  EXPECT_FALSE(absl::StrContains(agent->Log(), "still running"))
      << Hide(agent->Log());
  EXPECT_FALSE(Exists(socket_path()));
}

TEST_F(SocketTest, DashSPrintsShellLinesAndDashKStopsTheAgent) {
  Environment env = BaseEnv();
  CommandSpec start;
  start.argv = {AgentBinary(), "-s", "--config", config_path()};
  start.env = env;

  CommandResult started = RunCommand(start);

  ASSERT_EQ(started.exit_code, 0) << Show(started);
  std::smatch match;
  std::regex shell_lines(
      "MCPCRED_SOCK=(\\S+); export MCPCRED_SOCK;\n"
      "MCPCRED_AGENT_PID=([0-9]+); export MCPCRED_AGENT_PID;\n"
      "echo Agent pid ([0-9]+);\n");
  ASSERT_TRUE(std::regex_match(started.out, match, shell_lines))
      << Show(started);
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(match[2].str(), &pid));
  AdoptDaemon(pid);
  EXPECT_EQ(match[1].str(), socket_path()) << "$MCPCRED_SOCK is honoured";
  EXPECT_EQ(match[3].str(), match[2].str());

  // The printed socket is where the agent serves.
  ExpectServes({"--socket", match[1].str()});
  CommandResult status = Cli({"--json", "status"});
  ASSERT_EQ(status.exit_code, 0) << Show(status);
  nlohmann::json json = nlohmann::json::parse(status.out, nullptr, false);
  EXPECT_EQ(json.value("pid", 0), pid) << Show(status);

  CommandSpec kill_spec;
  kill_spec.argv = {AgentBinary(), "-k"};
  kill_spec.env = env;
  kill_spec.env["MCPCRED_SOCK"] = match[1].str();
  CommandResult killed = RunCommand(kill_spec);

  EXPECT_EQ(killed.exit_code, 0) << Show(killed);
  EXPECT_TRUE(absl::StrContains(killed.out, "unset MCPCRED_SOCK;"))
      << Show(killed);
  EXPECT_TRUE(absl::StrContains(
      killed.out, absl::StrCat("echo Agent pid ", pid, " killed;")))
      << Show(killed);
  EXPECT_TRUE(WaitForPidGone(pid, absl::Seconds(30)))
      << "agent pid " << pid << " still runs after -k";
  EXPECT_FALSE(Exists(socket_path()));

  // -k again: no agent left to stop.
  CommandResult again = RunCommand(kill_spec);
  EXPECT_NE(again.exit_code, 0) << Show(again);
}

// Without $MCPCRED_SOCK and $XDG_RUNTIME_DIR, -s makes a directory in /tmp
// as ssh-agent does; it must not outlive the agent.
TEST_F(SocketTest, DashSRemovesTheDirectoryItMadeWhenTheAgentStops) {
  CommandSpec start;
  start.argv = {AgentBinary(), "-s", "--config", config_path()};
  start.env = BaseEnv();
  start.env.erase("MCPCRED_SOCK");
  start.env.erase("XDG_RUNTIME_DIR");

  CommandResult started = RunCommand(start);

  ASSERT_EQ(started.exit_code, 0) << Show(started);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(
      started.out, match,
      std::regex("MCPCRED_SOCK=(/tmp/mcpcred-[^/;]+)/agent.sock;(.|\n)*"
                 "MCPCRED_AGENT_PID=([0-9]+);")))
      << Show(started);
  const std::string dir = match[1].str();
  const std::string socket = dir + "/agent.sock";
  int pid = 0;
  ASSERT_TRUE(absl::SimpleAtoi(match[3].str(), &pid));
  AdoptDaemon(pid);
  EXPECT_TRUE(Exists(dir));
  ExpectServes({"--socket", socket});

  CommandSpec kill_spec;
  kill_spec.argv = {AgentBinary(), "-k"};
  kill_spec.env = start.env;
  kill_spec.env["MCPCRED_SOCK"] = socket;
  CommandResult killed = RunCommand(kill_spec);

  EXPECT_EQ(killed.exit_code, 0) << Show(killed);
  EXPECT_TRUE(WaitForPidGone(pid, absl::Seconds(30)));
  EXPECT_FALSE(Exists(dir)) << dir << " outlived the agent";
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST_F(SocketTest, SocketActivation) {
  std::string activate = FindProgram("systemd-socket-activate");
  if (activate.empty()) {
    GTEST_SKIP() << "systemd-socket-activate (package systemd) is not "
                    "installed";
  }
  ASSERT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
  AgentLaunch launch = DefaultLaunch({"-D", "--config", config_path()});
  // Only the socket passed in can lead the agent or the client there.
  launch.env.erase("MCPCRED_SOCK");
  launch.env.erase("XDG_RUNTIME_DIR");
  // systemd-socket-activate passes on only PATH, HOME, USER and TERM, and
  // what -E names (the value taken from its own environment, not argv).
  launch.wrapper = {activate, "-l", socket_path()};
  for (const auto& [key, value] : launch.env) {
    launch.wrapper.push_back("-E");
    launch.wrapper.push_back(key);
  }
  launch.wrapper.push_back("--");
  AgentProcess* agent = LaunchAgent(launch);
  ASSERT_NE(agent, nullptr);
  Environment no_socket_env = {{"MCPCRED_SOCK", ""}, {"XDG_RUNTIME_DIR", ""}};
  CommandSpec probe =
      CliSpec({"--socket", socket_path(), "status"}, no_socket_env);
  absl::Status serving = agent->WaitUntilServing(probe);
  ASSERT_TRUE(serving.ok()) << serving << "\n" << Hide(agent->Log());

  CommandResult token =
      Cli({"--socket", socket_path(), "token", "gh"}, no_socket_env);
  ASSERT_EQ(token.exit_code, 0) << Show(token);
  EXPECT_TRUE(token.out == secret() + "\n") << Hide(token.out);

  CommandResult status =
      Cli({"--socket", socket_path(), "--json", "status"}, no_socket_env);
  ASSERT_EQ(status.exit_code, 0) << Show(status);
  nlohmann::json json = nlohmann::json::parse(status.out, nullptr, false);
  EXPECT_EQ(json.value("socket", ""), socket_path()) << Show(status);

  absl::StatusOr<int> exit_code = agent->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << Hide(agent->Log());
}

}  // namespace
}  // namespace mcpcred::testing

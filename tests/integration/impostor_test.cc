// Clients trust only their own agent. Another local user (nobody, through
// setpriv) puts an impostor agent (impostor_agent.cc) where the victim's
// client looks for its agent; the victim's real mcpcred and mcpcred-exec must
// never send it a secret nor take an environment from it, and
// `mcpcred-agent -k` must not signal a process the impostor names.
//
// These tests need root (to become nobody) and setpriv; they skip otherwise.
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

class ImpostorTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    if (geteuid() != 0) {
      GTEST_SKIP() << "needs root to run the impostor as nobody (setpriv)";
    }
    setpriv_ = FindProgram("setpriv");
    if (setpriv_.empty()) {
      GTEST_SKIP() << "setpriv (util-linux) is not installed";
    }
    struct passwd* nobody = getpwnam("nobody");
    ASSERT_NE(nobody, nullptr);
    struct group* nogroup = getgrnam("nogroup");
    ASSERT_NE(nogroup, nullptr);
    nobody_uid_ = nobody->pw_uid;
    nogroup_gid_ = nogroup->gr_gid;
    // nobody may pass through the test's directory, not write to it.
    ASSERT_EQ(chmod(base_dir().c_str(), 0711), 0);
  }

  // `argv` run as nobody:nogroup.
  std::vector<std::string> AsNobody(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {setpriv_, "--reuid=nobody", "--regid=nogroup",
                               "--clear-groups"});
    return argv;
  }

  // A directory of the attacker's own (base_dir()/`name`, 0755), as one it
  // made in /tmp would be.
  std::string AttackersDirectory(const std::string& name) {
    std::string dir = base_dir() + "/" + name;
    EXPECT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
    EXPECT_EQ(chown(dir.c_str(), nobody_uid_, nogroup_gid_), 0) << dir;
    return dir;
  }

  // Starts the impostor on `socket` (as nobody unless `as_nobody` is false)
  // with `args`, and waits until it accepts connections.
  void StartImpostor(const std::string& socket,
                     const std::vector<std::string>& args,
                     bool as_nobody = true) {
    std::vector<std::string> argv = {IMPOSTOR_AGENT_BIN, "--socket", socket};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandSpec spec;
    spec.argv = as_nobody ? AsNobody(argv) : argv;
    spec.env = {{"PATH", "/usr/bin:/bin"}};
    spec.output_path = base_dir() + "/impostor.log";
    absl::StatusOr<std::unique_ptr<Subprocess>> started =
        Subprocess::Start(spec);
    ASSERT_TRUE(started.ok()) << started.status();
    impostor_ = *std::move(started);
    absl::Time limit = absl::Now() + absl::Seconds(30);
    while (!SocketAccepts(socket) && absl::Now() < limit &&
           !impostor_->Finished()) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    ASSERT_TRUE(SocketAccepts(socket))
        << "the impostor does not listen: "
        << ReadFileOrEmpty(base_dir() + "/impostor.log");
  }

  // An impostor of nobody's, in its own directory (returned), whose socket
  // then appears at socket_path() in directories no one else may write: as if
  // a check of the path had been raced or fooled (root hard-links it in).
  // Only the kernel's word on the listener remains.
  std::string StartImpostorBehindSafeDirectories(
      const std::vector<std::string>& args) {
    std::string dir = AttackersDirectory("attacker");
    StartImpostor(dir + "/agent.sock", args);
    EXPECT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
    EXPECT_EQ(link((dir + "/agent.sock").c_str(), socket_path().c_str()), 0);
    return dir;
  }

  // The one line `program` says when it refuses nobody's agent.
  std::string RefusalOfNobody(const std::string& program) const {
    return absl::StrCat(program, ": refusing the agent at ", socket_path(),
                        ": it runs as uid ", nobody_uid_,
                        ", not as you (uid 0)\n");
  }

  // `mcpcred add NAME` as the victim, typing secret() on stdin.
  CommandResult AddSecret(const std::string& socket) {
    return Cli({"add", "stolen"}, {{"MCPCRED_SOCK", socket}}, secret() + "\n");
  }

  // What the impostor recorded must not hold the secret.
  void ExpectNothingRecorded(const std::string& record) {
    EXPECT_FALSE(ContainsSecret(ReadFileOrEmpty(record)))
        << "the impostor received the secret";
  }

  // A process of the victim's that is not an agent: -k must leave it be.
  std::unique_ptr<Subprocess> StartBystander() {
    CommandSpec spec;
    spec.argv = {"/bin/sleep", "600"};
    absl::StatusOr<std::unique_ptr<Subprocess>> started =
        Subprocess::Start(spec);
    EXPECT_TRUE(started.ok()) << started.status();
    return started.ok() ? *std::move(started) : nullptr;
  }

  // `mcpcred-agent -k` as the victim, for the agent on `socket`.
  CommandResult StopAgentOn(const std::string& socket) {
    CommandSpec spec;
    spec.argv = {AgentBinary(), "-k"};
    spec.env = BaseEnv();
    spec.env["MCPCRED_SOCK"] = socket;
    return RunCommand(spec);
  }

  std::string setpriv_;
  uid_t nobody_uid_ = 0;
  gid_t nogroup_gid_ = 0;
  std::unique_ptr<Subprocess> impostor_;
};

// The victim's socket directory sits in a directory every user may write to:
// the attacker makes the socket's directory there first and listens.
TEST_F(ImpostorTest, AddNeverReachesAnImpostorInAWritableParent) {
  std::string shared = base_dir() + "/shared";
  ASSERT_EQ(mkdir(shared.c_str(), 0777), 0);
  ASSERT_EQ(chmod(shared.c_str(), 0777), 0);
  std::string dir = AttackersDirectory("shared/mcpcred");
  std::string socket = dir + "/agent.sock";
  std::string record = dir + "/record";
  ASSERT_NO_FATAL_FAILURE(StartImpostor(socket, {"--record", record}));

  CommandResult result = AddSecret(socket);

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_TRUE(absl::StartsWith(
      result.err, "mcpcred: unsafe socket path: " + shared + " is writable"))
      << Show(result);
  EXPECT_TRUE(absl::StrContains(result.err, "chmod go-w " + shared))
      << Show(result);
  ExpectNothingRecorded(record);
}

// The directories are safe, yet another uid listens on the socket.
TEST_F(ImpostorTest, AddNeverReachesAnImpostorOfAnotherUid) {
  std::string dir = StartImpostorBehindSafeDirectories(
      {"--record", base_dir() + "/attacker/record"});
  ASSERT_FALSE(HasFatalFailure());

  CommandResult result = AddSecret(socket_path());

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_EQ(result.err, RefusalOfNobody("mcpcred")) << Show(result);
  ExpectNothingRecorded(dir + "/record");
}

// MCPCRED_SOCK names the attacker's socket. mcpcred-exec must not start the
// command with the loader settings the impostor hands out.
TEST_F(ImpostorTest, ExecNeverRunsWithAnImpostorsEnvironment) {
  std::string dir = AttackersDirectory("attacker");
  std::string socket = dir + "/agent.sock";
  ASSERT_NO_FATAL_FAILURE(StartImpostor(
      socket, {"--env", "LD_PRELOAD=" + dir + "/evil.so", "--env",
               "PATH=" + dir + "/bin", "--env", "GITHUB_TOKEN=impostor"}));
  std::string report = base_dir() + "/child-env";

  // printf is a shell builtin: the child reports even with the impostor's
  // PATH.
  CommandResult result =
      Exec({"gh", "--", "/bin/sh", "-c",
            "printf '%s\\n' \"$LD_PRELOAD\" \"$PATH\" > \"$0\"", report},
           {{"MCPCRED_SOCK", socket}});

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_TRUE(absl::StartsWith(
      result.err,
      "mcpcred-exec: unsafe socket path: " + dir + " belongs to uid"))
      << Show(result);
  struct stat st;
  EXPECT_NE(stat(report.c_str(), &st), 0)
      << "the command ran with the impostor's environment: "
      << ReadFileOrEmpty(report);
}

// Even an agent of the victim's own uid (a mistaken or hostile config, or a
// same-uid impostor) cannot make mcpcred-exec load code into COMMAND.
TEST_F(ImpostorTest, ExecRefusesLoaderSettingsEvenFromItsOwnUid) {
  ASSERT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
  ASSERT_NO_FATAL_FAILURE(
      StartImpostor(socket_path(),
                    {"--env", "LD_PRELOAD=" + base_dir() + "/evil.so", "--env",
                     "GITHUB_TOKEN=impostor"},
                    /*as_nobody=*/false));
  std::string report = base_dir() + "/child-env";

  CommandResult result =
      Exec({"gh", "--", "/bin/sh", "-c",
            "printf '%s\\n' \"$LD_PRELOAD\" > \"$0\"", report});

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_EQ(result.err,
            "mcpcred-exec: refusing LD_PRELOAD from credential \"gh\": it "
            "changes how programs load or run, and a credential may not set "
            "it; COMMAND was not started\n")
      << Show(result);
  struct stat st;
  EXPECT_NE(stat(report.c_str(), &st), 0)
      << "the command ran with LD_PRELOAD from the agent: "
      << ReadFileOrEmpty(report);
}

// mcpcred-agent -k signals the process the kernel names as the listener on
// the socket, never a pid that whoever answers there claims.
TEST_F(ImpostorTest, StopNeverSignalsThePidAnImpostorNames) {
  std::unique_ptr<Subprocess> bystander = StartBystander();
  ASSERT_NE(bystander, nullptr);
  ASSERT_EQ(mkdir(socket_dir().c_str(), 0700), 0);
  // The victim's own uid: only the pid gives the impostor away.
  ASSERT_NO_FATAL_FAILURE(
      StartImpostor(socket_path(), {"--pid", absl::StrCat(bystander->pid())},
                    /*as_nobody=*/false));

  CommandResult result = StopAgentOn(socket_path());

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_TRUE(absl::StrContains(
      result.err,
      absl::StrCat("not stopping anything: the process listening on ",
                   socket_path(), " is pid ", impostor_->pid(),
                   ", but the agent there says it is pid ", bystander->pid())))
      << Show(result);
  EXPECT_FALSE(bystander->Finished()) << "-k killed the pid the impostor named";
  EXPECT_FALSE(impostor_->Finished());
}

TEST_F(ImpostorTest, StopRefusesAListenerOfAnotherUid) {
  std::unique_ptr<Subprocess> bystander = StartBystander();
  ASSERT_NE(bystander, nullptr);
  StartImpostorBehindSafeDirectories({"--pid", absl::StrCat(bystander->pid())});
  ASSERT_FALSE(HasFatalFailure());

  CommandResult result = StopAgentOn(socket_path());

  EXPECT_EQ(result.exit_code, 1) << Show(result);
  EXPECT_EQ(result.err, RefusalOfNobody("mcpcred-agent")) << Show(result);
  EXPECT_FALSE(bystander->Finished()) << "-k killed the pid the impostor named";
  EXPECT_FALSE(impostor_->Finished());
}

}  // namespace
}  // namespace mcpcred::testing

// How the command is run: exit status and signals, the timeout and what it
// leaves behind, and what the program inherits from the agent.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/plugins/command/command_test_util.h"

namespace mcpcred::command_test {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Polls for a state that another process reaches asynchronously (a SIGKILLed
// grandchild dies when the kernel gets to it). Not a timing assertion: the
// bound only keeps a broken build from hanging.
template <typename Predicate>
bool Eventually(Predicate done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    usleep(10'000);
  }
  return done();
}

// Dead: gone from /proc, or a zombie waiting for its (new) parent.
bool ProcessIsDead(pid_t pid) {
  char state = 0;
  pid_t parent = 0;
  return !ReadProcStat(pid, &state, &parent) || state == 'Z';
}

pid_t ReadPid(const std::string& path) {
  int pid = 0;
  EXPECT_TRUE(
      absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadWholeFile(path)), &pid))
      << path;
  return static_cast<pid_t>(pid);
}

TEST_F(CommandProviderTest, NonZeroExitCarriesFirstStderrLine) {
  auto token = FetchFrom(
      "echo '' >&2\n"
      "echo '  vault: permission denied  ' >&2\n"
      "echo 'second line' >&2\n"
      "echo '{\"access_token\":\"must-not-leak\"}'\n"
      "exit 3");
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_EQ(token.status().message(),
            Named() + " exited with status 3: vault: permission denied");
}

TEST_F(CommandProviderTest, NonZeroExitWithoutStderr) {
  auto token = FetchFrom("exit 1");
  EXPECT_EQ(token.status().message(), Named() + " exited with status 1");
}

TEST_F(CommandProviderTest, LongStderrLineIsTrimmed) {
  auto token = FetchFrom(
      "head -c 5000 /dev/zero | tr '\\0' x >&2\n"
      "exit 2");
  std::string message(token.status().message());
  EXPECT_THAT(message, StartsWith(Named() + " exited with status 2: xxx"));
  EXPECT_THAT(message, EndsWith("x..."));
  EXPECT_EQ(message.size(),
            (Named() + " exited with status 2: ").size() + 200 + 3);
}

TEST_F(CommandProviderTest, KilledBySignalSaysWhich) {
  auto token = FetchFrom("echo 'about to die' >&2; kill -KILL $$");
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_EQ(token.status().message(),
            Named() + " was killed by signal SIGKILL: about to die");
}

TEST_F(CommandProviderTest, SlowCommandTimesOutAndItsGroupIsKilled) {
  const std::string pid_file = dir_ + "/pid";
  const std::string helper_file = dir_ + "/helper";
  // The helper is a grandchild in the same process group: a timeout that
  // killed only the direct child would leave it running.
  auto token =
      FetchFrom(absl::StrCat("echo $$ > ", pid_file, "\n", "sleep 300 &\n",
                             "echo $! > ", helper_file, "\n", "wait"),
                {{"timeout_seconds", 1}});
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_EQ(token.status().message(),
            Named() + " timed out after 1 s and was killed");

  pid_t pid = ReadPid(pid_file);
  ASSERT_GT(pid, 0);
  // Reaped, not merely killed: the pid is gone and is no longer our child.
  EXPECT_EQ(kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);

  pid_t helper = ReadPid(helper_file);
  ASSERT_GT(helper, 0);
  EXPECT_TRUE(Eventually([&] { return ProcessIsDead(helper); }))
      << "helper " << helper << " survived the timeout";
  // TearDown checks that no child of ours is a zombie.
}

TEST_F(CommandProviderTest, TimeoutIsEnforcedEvenWhenTheCommandClosesItsPipes) {
  auto token =
      FetchFrom("exec >/dev/null 2>&1; sleep 300", {{"timeout_seconds", 1}});
  EXPECT_EQ(token.status().message(),
            Named() + " timed out after 1 s and was killed");
}

TEST_F(CommandProviderTest, EndlessStderrStillTimesOut) {
  auto token = FetchFrom("yes 'noise' >&2", {{"timeout_seconds", 1}});
  EXPECT_EQ(token.status().message(),
            Named() + " timed out after 1 s and was killed");
}

TEST_F(CommandProviderTest, EndlessStdoutIsStoppedAt64KiB) {
  auto token = FetchFrom("yes '{}'", {{"timeout_seconds", 60}});
  EXPECT_EQ(token.status().message(),
            Named() + " printed more than 64 KiB and was stopped");
}

TEST_F(CommandProviderTest, BackgroundHelperHoldingStdoutDoesNotBlock) {
  // The helper keeps stdout open after the command exits; the command's own
  // output is complete at its exit and is served without waiting.
  auto token = FetchFrom(
      "echo '{\"access_token\":\"t\"}'\n"
      "sleep 300 &\n"
      "echo $! > " +
          dir_ +
          "/helper\n"
          "exit 0",
      {{"timeout_seconds", 60}});
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "t");
  kill(ReadPid(dir_ + "/helper"), SIGKILL);
}

TEST_F(CommandProviderTest, EnvironmentIsSanitised) {
  const char* agent_vars[] = {
      "MCPCRED_SOCK", "MCPCRED_AGENT_PID", "MCPCRED_CONFIG", "LISTEN_FDS",
      "LISTEN_PID",   "LISTEN_FDNAMES",    "NOTIFY_SOCKET"};
  for (const char* name : agent_vars) setenv(name, "agent-only", 1);
  setenv("COMMAND_TEST_VISIBLE", "yes", 1);
  const std::string env_file = dir_ + "/env";
  auto token = FetchFrom(
      absl::StrCat("env > ", env_file, "\n", R"(echo '{"access_token":"t"}')"));
  for (const char* name : agent_vars) unsetenv(name);
  unsetenv("COMMAND_TEST_VISIBLE");
  ASSERT_TRUE(token.ok()) << token.status();

  std::string env = ReadWholeFile(env_file);
  EXPECT_THAT(env, HasSubstr("COMMAND_TEST_VISIBLE=yes\n"));
  EXPECT_THAT(env, HasSubstr("PATH="));
  EXPECT_THAT(env, Not(HasSubstr("agent-only")));
  EXPECT_THAT(env, Not(HasSubstr("MCPCRED_")));
}

TEST_F(CommandProviderTest, StdinIsDevNullAndOtherDescriptorsAreClosed) {
  // An fd without O_CLOEXEC, as a careless library in the agent might open.
  int leaked = open("/dev/zero", O_RDONLY);
  ASSERT_GE(leaked, 0);
  script_ = WriteScript(
      "get-token",
      "stdin=$(readlink /proc/$$/fd/0)\n"
      "if [ -e /proc/$$/fd/$1 ]; then leak=yes; else leak=no; fi\n"
      "echo \"{\\\"access_token\\\":\\\"stdin=$stdin,leak=$leak\\\"}\"");
  auto instance = Create({{"command", {script_, std::to_string(leaked)}}});
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto token = (*instance)->Fetch();
  close(leaked);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "stdin=/dev/null,leak=no");
}

// Hex mask from a "Name:\tHEX" line of /proc/PID/status, as printed by the
// script.
uint64_t Mask(const std::string& token, const std::string& name) {
  for (absl::string_view part : absl::StrSplit(token, ',')) {
    if (absl::ConsumePrefix(&part, name + "=")) {
      uint64_t mask = 0;
      EXPECT_TRUE(absl::SimpleHexAtoi(part, &mask)) << token;
      return mask;
    }
  }
  ADD_FAILURE() << name << " missing from " << token;
  return ~uint64_t{0};
}

TEST_F(CommandProviderTest, ChildStartsWithNoBlockedOrIgnoredSignals) {
  // As in the agent: SIGTERM/SIGINT/SIGHUP blocked, SIGPIPE ignored.
  sigset_t blocked, previous;
  sigemptyset(&blocked);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&blocked, sig);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &blocked, &previous), 0);
  struct sigaction ignore = {}, old_pipe = {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old_pipe);

  auto token = FetchFrom(
      "blk=$(awk '/^SigBlk/ {print $2}' /proc/$$/status)\n"
      "ign=$(awk '/^SigIgn/ {print $2}' /proc/$$/status)\n"
      "echo \"{\\\"access_token\\\":\\\"blk=$blk,ign=$ign\\\"}\"");

  sigaction(SIGPIPE, &old_pipe, nullptr);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ASSERT_TRUE(token.ok()) << token.status();
  const std::string value = token->token.ToUnwipedString();
  EXPECT_EQ(Mask(value, "blk"), 0u) << value;
  uint64_t ignored = Mask(value, "ign");
  for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP}) {
    EXPECT_EQ(ignored & (uint64_t{1} << (sig - 1)), 0u) << "signal " << sig;
  }
}

TEST_F(CommandProviderTest, RunsInTheWorkingDirectory) {
  const std::string work = dir_ + "/work";
  ASSERT_EQ(mkdir(work.c_str(), 0700), 0);
  auto token = FetchFrom(R"(echo "{\"access_token\":\"$(pwd -P)\"}")",
                         {{"working_directory", work}});
  ASSERT_TRUE(token.ok()) << token.status();
  char resolved[PATH_MAX];
  ASSERT_NE(realpath(work.c_str(), resolved), nullptr);
  EXPECT_EQ(token->token, resolved);
}

TEST_F(CommandProviderTest, ProgramRemovedAfterCreateFailsFetchClearly) {
  script_ = WriteScript("get-token", R"(echo '{"access_token":"t"}')");
  auto instance = Create({{"command", {script_}}});
  ASSERT_TRUE(instance.ok()) << instance.status();
  ASSERT_EQ(unlink(script_.c_str()), 0);
  auto token = (*instance)->Fetch();
  EXPECT_TRUE(absl::IsFailedPrecondition(token.status())) << token.status();
  EXPECT_EQ(token.status().message(),
            Named() + " cannot be run: No such file or directory");
}

TEST_F(CommandProviderTest, ConcurrentInstancesDoNotInterfere) {
  constexpr int kInstances = 8;
  std::vector<std::unique_ptr<ProviderInstance>> instances;
  for (int i = 0; i < kInstances; ++i) {
    std::string path = WriteScript(
        absl::StrCat("get-token-", i),
        absl::StrCat("sleep 0.1; echo '{\"access_token\":\"tok-", i, "\"}'"));
    auto instance = Create({{"command", {path}}});
    ASSERT_TRUE(instance.ok()) << instance.status();
    instances.push_back(std::move(*instance));
  }
  std::vector<std::string> tokens(kInstances);
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        auto token = instances[i]->Fetch();
        tokens[i] = token.ok() ? token->token.ToUnwipedString()
                               : std::string(token.status().message());
        if (!token.ok()) return;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kInstances; ++i) {
    EXPECT_EQ(tokens[i], absl::StrCat("tok-", i));
  }
}

}  // namespace
}  // namespace mcpcred::command_test

// `mcpcred add/remove` with [store] backend = "file" against a real agent:
// the flow of store_flow.h, the file on disk, the no-echo prompt on a
// terminal, a damaged store file.
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/store_flow.h"
#include "tests/integration/terminal.h"

namespace mcpcred::testing {
namespace {

class StoreFileTest : public StoreFlowTest {
 protected:
  std::string StoreFile() const {
    return base_dir() + "/state/mcpcred/secrets.db";
  }

  // Starts `mcpcred add linear` on a new pseudo-terminal, as a person would
  // run it; *master is the terminal's other end. -1 if it cannot start.
  pid_t StartAddOnTerminal(int* master) const {
    return StartOnTerminal({CliBinary(), "add", "linear"}, BaseEnv(), "",
                           master);
  }
};

TEST_F(StoreFileTest, AddRestartRemove) { CheckAddRestartRemove("file"); }

TEST_F(StoreFileTest, ReplaceTakesEffectAtOnce) {
  CheckReplaceTakesEffectAtOnce("file");
}

TEST_F(StoreFileTest, ListAndStatusShowTheStore) {
  CheckListAndStatusShowTheStore("file");
}

TEST_F(StoreFileTest, AReloadKeepsTheStoreAndSaysToRestart) {
  WriteStoreConfig("file");
  AgentProcess* agent = StartStoreAgent();
  ASSERT_NE(agent, nullptr);
  const std::string value = NewSecret();
  Add("linear", value);
  WriteStoreConfig("memory");
  CommandResult reload = Cli({"reload"});
  ASSERT_EQ(reload.exit_code, 0) << Show(reload);
  EXPECT_TRUE(WaitForLog(agent, "restart the agent to change the store"))
      << Hide(agent->Log());
  // Still the file store, with its entries.
  EXPECT_TRUE(TokenOfLinear() == value);
}

TEST_F(StoreFileTest, TheValueIsOnNoByteUnderTheStateDirectory) {
  WriteStoreConfig("file");
  ASSERT_NE(StartStoreAgent(), nullptr);
  Add("linear", NewSecret());
  ASSERT_EQ(Cli({"token", "linear"}).exit_code, 0);
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(base_dir() + "/state")) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_FALSE(ContainsSecret(ReadFileOrEmpty(entry.path())))
        << "the value is readable in " << entry.path();
  }
  EXPECT_GE(files, 2);  // the store and its key (and the audit log)
}

TEST_F(StoreFileTest, ADamagedFileIsReportedAndKept) {
  WriteStoreConfig("file");
  AgentProcess* agent = StartStoreAgent();
  ASSERT_NE(agent, nullptr);
  Add("linear", NewSecret());
  ASSERT_EQ(agent->Stop().value_or(-1), 0);
  std::string damaged = ReadFileOrEmpty(StoreFile());
  damaged[damaged.size() / 2] ^= 0x01;
  WriteFileOrDie(StoreFile(), damaged);

  agent = StartStoreAgent();
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(WaitForLog(agent, "cannot be read")) << Hide(agent->Log());
  CommandResult token = Cli({"token", "linear"});
  EXPECT_NE(token.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(token.err, StoreFile())) << Show(token);
  CommandResult add = Cli({"add", "linear"}, {}, NewSecret());
  EXPECT_NE(add.exit_code, 0) << Show(add);
  EXPECT_TRUE(absl::StrContains(add.err, "move it away")) << Show(add);
  CommandResult list = Cli({"list"});
  EXPECT_EQ(list.exit_code, 0) << Show(list);
  EXPECT_TRUE(absl::StrContains(list.out, "The file store cannot be listed"))
      << Show(list);
  EXPECT_TRUE(ReadFileOrEmpty(StoreFile()) == damaged)
      << "the damaged file was overwritten";
}

TEST_F(StoreFileTest, AValueOnTheCommandLineIsRefusedWithoutEchoingIt) {
  WriteStoreConfig("file");
  ASSERT_NE(StartStoreAgent(), nullptr);
  const std::string value = NewSecret();
  CommandResult add = Cli({"add", "linear", value});
  EXPECT_EQ(add.exit_code, 2) << Show(add);
  EXPECT_TRUE(absl::StrContains(add.err, "never as an argument")) << Show(add);
  CommandResult empty = Cli({"add", "linear"}, {}, "\n");
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(empty.err, "the secret is empty"))
      << Show(empty);
  CommandResult bad_name = Cli({"add", "../x"}, {}, "v\n");
  EXPECT_NE(bad_name.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(bad_name.err, "a secret name is"))
      << Show(bad_name);
}

TEST_F(StoreFileTest, OnATerminalThePromptDoesNotEcho) {
  WriteStoreConfig("file");
  ASSERT_NE(StartStoreAgent(), nullptr);
  int master = -1;
  pid_t pid = StartAddOnTerminal(&master);
  ASSERT_GE(pid, 0);
  std::string screen = ReadUntil(master, "Secret for linear: ", "");
  ASSERT_TRUE(absl::StrContains(screen, "Secret for linear: ")) << screen;
  const std::string value = NewSecret();
  std::string typed = value + "\n";
  ASSERT_EQ(write(master, typed.data(), typed.size()),
            static_cast<ssize_t>(typed.size()));
  screen = ReadUntil(master, "store.", screen);
  int status = WaitOrKill(pid);
  close(master);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Hide(screen);
  EXPECT_FALSE(ContainsSecret(screen)) << "the typed secret was echoed";
  EXPECT_TRUE(absl::StrContains(screen, "Added secret \"linear\""))
      << Hide(screen);
  EXPECT_TRUE(TokenOfLinear() == value);
}

TEST_F(StoreFileTest, InterruptingThePromptRestoresTheTerminal) {
  WriteStoreConfig("file");
  ASSERT_NE(StartStoreAgent(), nullptr);
  int master = -1;
  pid_t pid = StartAddOnTerminal(&master);
  ASSERT_GE(pid, 0);
  std::string screen = ReadUntil(master, "Secret for linear: ", "");
  termios during;
  ASSERT_EQ(tcgetattr(master, &during), 0);
  EXPECT_EQ(during.c_lflag & ECHO, 0u) << "echo is on at the prompt";
  kill(pid, SIGINT);
  int status = WaitOrKill(pid);
  termios after;
  ASSERT_EQ(tcgetattr(master, &after), 0);
  close(master);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
  EXPECT_NE(after.c_lflag & ECHO, 0u) << "the terminal was left without echo";
}

}  // namespace
}  // namespace mcpcred::testing

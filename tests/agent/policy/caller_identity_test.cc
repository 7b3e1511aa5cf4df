// Identifying a caller process: /proc parsing, the real current process, and
// that a pid recycled by another process cannot pass for the caller.
#include "agent/policy/caller_identity.h"

#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "agent/policy/caller_table.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A child process that waits until killed.
pid_t StartWaitingChild() {
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  return child;
}

// Kills and reaps it: its pid is free for the kernel to give away.
void KillAndReap(pid_t child) {
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

TEST(CallerIdentityTest, StartTimeIsField22EvenWithParenthesesInComm) {
  // Fields 3..22 after "(comm)"; 22 is the start time.
  const std::string rest =
      " S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 20 21\n";
  EXPECT_EQ(ParseStartTime("42 (node)" + rest), 987654u);
  EXPECT_EQ(ParseStartTime("42 (a) b (c))" + rest), 987654u);
  EXPECT_EQ(ParseStartTime("42 (node) S 1 2"), std::nullopt);
  EXPECT_EQ(ParseStartTime("garbage"), std::nullopt);
}

TEST(CallerIdentityTest, CgroupV2PathIsTheZeroLine) {
  EXPECT_EQ(ParseCgroupV2Path("0::/user.slice/user-1000.slice/"
                              "user@1000.service/app.slice/"
                              "app-vscode-1234.scope\n"),
            "/user.slice/user-1000.slice/user@1000.service/app.slice/"
            "app-vscode-1234.scope");
  // A hybrid hierarchy: v1 controllers first, then the unified line.
  EXPECT_EQ(ParseCgroupV2Path("12:pids:/user.slice\n1:name=systemd:/x\n"
                              "0::/system.slice/ssh.service\n"),
            "/system.slice/ssh.service");
  EXPECT_EQ(ParseCgroupV2Path("1:name=systemd:/x\n"), std::nullopt);
}

TEST(CallerIdentityTest, UnitIsTheLastServiceOrScope) {
  EXPECT_EQ(UnitOfCgroup("/user.slice/user-1000.slice/user@1000.service/"
                         "app.slice/app-vscode-1234.scope"),
            "app-vscode-1234.scope");
  EXPECT_EQ(UnitOfCgroup("/user.slice/user-1000.slice/user@1000.service/"
                         "app.slice/mcp.service/worker"),
            "mcp.service");
  EXPECT_EQ(UnitOfCgroup("/system.slice/cron.service"), "cron.service");
  EXPECT_EQ(UnitOfCgroup("/user.slice/user-1000.slice"), "");
  EXPECT_EQ(UnitOfCgroup("/"), "");
  EXPECT_EQ(UnitOfCgroup(""), "");
}

TEST(CallerIdentityTest, IdentifiesTheCurrentProcess) {
  const int pidfd = PidfdOpen(getpid());
  ASSERT_GE(pidfd, 0);
  absl::StatusOr<CallerIdentity> me = IdentifyProcess(pidfd, getpid());
  close(pidfd);
  ASSERT_TRUE(me.ok()) << me.status();
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  ASSERT_GT(n, 0);
  EXPECT_EQ(me->executable, std::string(exe, static_cast<size_t>(n)));
  EXPECT_FALSE(me->executable_deleted);
  EXPECT_NE(me->executable_ino, 0u);
  EXPECT_EQ(me->pid, getpid());
  EXPECT_EQ(me->start_time, ReadStartTime(getpid()));
  const std::string cgroup =
      ParseCgroupV2Path(ReadFile("/proc/self/cgroup")).value_or("");
  EXPECT_EQ(me->cgroup, cgroup);
  EXPECT_EQ(me->unit, UnitOfCgroup(cgroup));
}

// The pidfd names a process that has exited and been reaped; its pid now
// names another live process (here: this test). What /proc/PID shows
// belongs to that other process and must not be taken for the caller's.
TEST(CallerIdentityTest, ARecycledPidDoesNotPass) {
  const pid_t child = StartWaitingChild();
  ASSERT_GT(child, 0);
  const int pidfd = PidfdOpen(child);
  ASSERT_GE(pidfd, 0);
  KillAndReap(child);
  // As if the kernel had given the child's pid to this process.
  absl::StatusOr<CallerIdentity> recycled = IdentifyProcess(pidfd, getpid());
  close(pidfd);
  EXPECT_EQ(recycled.status().code(), absl::StatusCode::kUnavailable)
      << recycled.status();
}

TEST(CallerIdentityTest, AnExitedCallerIsNotIdentified) {
  const pid_t child = StartWaitingChild();
  ASSERT_GT(child, 0);
  auto caller = std::make_shared<ConnectedCaller>(child, PidfdOpen(child));
  KillAndReap(child);
  EXPECT_FALSE(caller->Identity().ok());
}

TEST(CallerIdentityTest, TheIdentityIsReadOncePerConnection) {
  const pid_t child = StartWaitingChild();
  ASSERT_GT(child, 0);
  auto caller = std::make_shared<ConnectedCaller>(child, PidfdOpen(child));
  absl::StatusOr<CallerIdentity> first = caller->Identity();
  ASSERT_TRUE(first.ok()) << first.status();
  KillAndReap(child);
  // Kept for the connection: no /proc read on later requests.
  absl::StatusOr<CallerIdentity> again = caller->Identity();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->start_time, first->start_time);
}

TEST(CallerTableTest, LooksUpByGrpcPeerAndForgets) {
  CallerTable table;
  table.Record(7, std::make_shared<ConnectedCaller>(getpid(), -1));
  ASSERT_NE(table.Lookup("fd:7"), nullptr);
  EXPECT_EQ(table.Lookup("fd:7")->pid(), getpid());
  EXPECT_EQ(table.Lookup("fd:8"), nullptr);
  EXPECT_EQ(table.Lookup("unix:/x"), nullptr);
  table.Forget(7);
  EXPECT_EQ(table.Lookup("fd:7"), nullptr);
}

}  // namespace
}  // namespace mcpcred

// Matching callers against `allow` rules, and the refusal that names the
// rule to add.
#include "agent/policy/caller_rules.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

config::CallerRule Rule(const std::string& text) {
  absl::StatusOr<config::CallerRule> rule = config::ParseCallerRule(text);
  EXPECT_TRUE(rule.ok()) << rule.status();
  return rule.value_or(config::CallerRule());
}

CallerIdentity Node() {
  CallerIdentity caller;
  caller.pid = 4242;
  caller.executable = "/usr/bin/node";
  caller.cgroup =
      "/user.slice/user-1000.slice/user@1000.service/app.slice/"
      "app-vscode-77.scope";
  caller.unit = "app-vscode-77.scope";
  return caller;
}

TEST(CallerRulesTest, ExeRulesAreGlobsThatStopAtSlashes) {
  EXPECT_TRUE(RuleMatches(Rule("exe:/usr/bin/node"), Node(), {}, false));
  EXPECT_TRUE(RuleMatches(Rule("exe:/usr/bin/no*"), Node(), {}, false));
  EXPECT_FALSE(RuleMatches(Rule("exe:/usr/*"), Node(), {}, false));
  EXPECT_FALSE(RuleMatches(Rule("exe:/usr/bin/python3"), Node(), {}, false));
}

TEST(CallerRulesTest, ADeletedExecutableMatchesNoExeRule) {
  CallerIdentity replaced = Node();
  replaced.executable_deleted = true;
  EXPECT_FALSE(RuleMatches(Rule("exe:/usr/bin/node"), replaced, {}, false));
  EXPECT_FALSE(RuleMatches(Rule("exe:/usr/bin/*"), replaced, {}, false));
}

TEST(CallerRulesTest, UnitAndCgroupRules) {
  EXPECT_TRUE(RuleMatches(Rule("unit:app-vscode-*.scope"), Node(), {}, false));
  EXPECT_FALSE(RuleMatches(Rule("unit:app-cursor-*.scope"), Node(), {}, false));
  // A cgroup rule admits its whole subtree.
  EXPECT_TRUE(RuleMatches(Rule("cgroup:/user.slice/user-1000.slice"), Node(),
                          {}, false));
  EXPECT_TRUE(RuleMatches(Rule("cgroup:/user.slice/*/user@*.service/app.slice"),
                          Node(), {}, false));
  EXPECT_FALSE(RuleMatches(Rule("cgroup:/system.slice"), Node(), {}, false));
  EXPECT_FALSE(
      RuleMatches(Rule("cgroup:/user.slice/user-1000"), Node(), {}, false));
  CallerIdentity outside = Node();
  outside.unit.clear();
  outside.cgroup.clear();
  EXPECT_FALSE(RuleMatches(Rule("unit:*"), outside, {}, false));
  EXPECT_FALSE(RuleMatches(Rule("cgroup:/*"), outside, {}, false));
}

TEST(CallerRulesTest, ExecRulesNeedTheGenuineBinaryAndCheckItsCommand) {
  const CallerClaim npx{"/usr/bin/npx"};
  EXPECT_TRUE(RuleMatches(Rule("exec"), Node(), npx, true));
  EXPECT_TRUE(RuleMatches(Rule("exec:/usr/bin/npx"), Node(), npx, true));
  EXPECT_TRUE(RuleMatches(Rule("exec:/usr/bin/*"), Node(), npx, true));
  EXPECT_FALSE(RuleMatches(Rule("exec:/usr/bin/uvx"), Node(), npx, true));
  EXPECT_FALSE(RuleMatches(Rule("exec:/usr/bin/npx"), Node(), {}, true));
  // The same claim from anything but mcpcred-exec counts for nothing.
  EXPECT_FALSE(RuleMatches(Rule("exec"), Node(), npx, false));
  EXPECT_FALSE(RuleMatches(Rule("exec:/usr/bin/npx"), Node(), npx, false));
}

TEST(CallerRulesTest, ExecBinaryComparesTheFileNotJustThePath) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  ASSERT_GT(n, 0);
  const std::string path(self, static_cast<size_t>(n));
  ExecBinary exec = ExecBinary::At(path);
  ASSERT_TRUE(exec.found);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  CallerIdentity caller;
  caller.executable = path;
  caller.executable_dev = st.st_dev;
  caller.executable_ino = st.st_ino;
  EXPECT_TRUE(exec.Runs(caller));
  CallerIdentity other_file = caller;
  other_file.executable_ino = st.st_ino + 1;
  EXPECT_FALSE(exec.Runs(other_file));
  CallerIdentity other_path = caller;
  other_path.executable = path + "-copy";
  EXPECT_FALSE(exec.Runs(other_path));
  EXPECT_FALSE(ExecBinary::At("/nonexistent/mcpcred-exec").Runs(caller));
}

TEST(CallerRulesTest, RefusalNamesTheRuleToAdd) {
  absl::Status refused =
      CheckAllowed("github", {Rule("exe:/usr/bin/python3")}, Node(), {},
                   ExecBinary::At("/nonexistent"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "credential \"github\" is not allowed for /usr/bin/node (pid "
            "4242): add \"exe:/usr/bin/node\" to allow in "
            "[credential.github]");
  EXPECT_TRUE(CheckAllowed("github",
                           {Rule("exe:/usr/bin/python3"),
                            Rule("unit:app-vscode-*.scope")},
                           Node(), {}, ExecBinary::At("/nonexistent"))
                  .ok());
  EXPECT_EQ(
      CheckAllowed("github", {}, Node(), {}, ExecBinary::At("/nonexistent"))
          .code(),
      absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace mcpcred

// The command path mcpcred-exec tells the agent for "exec:PATH" rules.
#include "command_path.h"

#include <limits.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace mcpcred::exec {
namespace {

std::string Cwd() {
  char cwd[PATH_MAX];
  return getcwd(cwd, sizeof(cwd)) != nullptr ? cwd : "";
}

TEST(CommandPathTest, AbsolutePathsAreKeptAsWritten) {
  EXPECT_EQ(ResolveCommandPath("/bin/true", "/usr/bin"), "/bin/true");
  EXPECT_EQ(ResolveCommandPath("/no/such/program", ""), "/no/such/program");
}

TEST(CommandPathTest, RelativePathsJoinTheWorkingDirectory) {
  EXPECT_EQ(ResolveCommandPath("./run.sh", ""), Cwd() + "/./run.sh");
  EXPECT_EQ(ResolveCommandPath("bin/server", ""), Cwd() + "/bin/server");
}

TEST(CommandPathTest, BareNamesAreSearchedOnPathInOrder) {
  EXPECT_EQ(ResolveCommandPath("true", "/nonexistent:/bin:/usr/bin"),
            "/bin/true");
  EXPECT_EQ(ResolveCommandPath("true", "/usr/bin:/bin"), "/usr/bin/true");
  EXPECT_EQ(ResolveCommandPath("no-such-program-xyz", "/bin:/usr/bin"), "");
  EXPECT_EQ(ResolveCommandPath("", "/bin"), "");
}

}  // namespace
}  // namespace mcpcred::exec

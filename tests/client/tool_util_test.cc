#include "tool_util.h"

#include "gtest/gtest.h"
#include "mcpcred/client.h"

namespace mcpcred {
namespace {

TEST(ExitCodeForTest, MapsEachKindOfError) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), 0);
  EXPECT_EQ(ExitCodeFor(absl::NotFoundError("no such credential")), 4);
  EXPECT_EQ(ExitCodeFor(absl::FailedPreconditionError("login")), 5);
  EXPECT_EQ(ExitCodeFor(absl::InternalError("boom")), 1);
  EXPECT_EQ(ExitCodeFor(absl::PermissionDeniedError("no")), 1);
  EXPECT_EQ(ExitCodeFor(absl::InvalidArgumentError("bad")), 1);
}

TEST(ExitCodeForTest, UpstreamUnavailableIsNotNoAgent) {
  // The agent answers UNAVAILABLE itself when an upstream is down.
  EXPECT_EQ(ExitCodeFor(absl::UnavailableError("github.com is down")), 1);
}

TEST(ExitCodeForTest, NoAgentIsThree) {
  EXPECT_EQ(ExitCodeFor(absl::UnavailableError(
                "no mcpcred agent answers on /x: start one with ...")),
            3);
}

TEST(ErrorLineTest, KeepsTheMessageOnOneLine) {
  EXPECT_EQ(ErrorLine("mcpcred", "bad\nthing\r"), "mcpcred: bad thing \n");
  EXPECT_EQ(ErrorLine("mcpcred-exec", "x"), "mcpcred-exec: x\n");
}

TEST(ConnectToAgentTest, NoSocketPathCountsAsNoAgent) {
  ASSERT_EQ(unsetenv("MCPCRED_SOCK"), 0);
  ASSERT_EQ(unsetenv("XDG_RUNTIME_DIR"), 0);
  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToAgent("");
  ASSERT_FALSE(client.ok());
  EXPECT_TRUE(IsAgentUnreachable(client.status()));
  EXPECT_EQ(ExitCodeFor(client.status()), kExitNoAgent);
  EXPECT_NE(client.status().message().find("MCPCRED_SOCK"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace mcpcred

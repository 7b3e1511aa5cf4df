// A slow fetch of one credential must not hold up any other request: the
// broker answers from its cache at once and runs provider calls on workers.
#include <sys/stat.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

class ConcurrencyTest : public AgentTest {};

// The gate provider makes "the slow fetch is in flight" certain: its fetch
// announces itself with a file and waits for the test to release it.
TEST_F(ConcurrencyTest, StaticAnswersWhileAnotherFetchIsInFlight) {
  std::string gate_dir = base_dir() + "/gate";
  ASSERT_EQ(mkdir(gate_dir.c_str(), 0700), 0);
  WriteConfig(StaticCredentialToml("gh") +
              absl::StrCat("[credential.slow]\n"
                           "provider = \"gate\"\n"
                           "dir = \"",
                           gate_dir,
                           "\"\n"
                           "env = { SLOW_TOKEN = \"{access_token}\" }\n"));
  ASSERT_NE(StartAgent(), nullptr);

  std::unique_ptr<Subprocess> slow = StartCli({"token", "slow"});
  ASSERT_NE(slow, nullptr);
  absl::Time limit = absl::Now() + absl::Seconds(30);
  while (!Exists(gate_dir + "/started") && absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(Exists(gate_dir + "/started")) << "the slow fetch never began";

  // While the fetch is held open, everything else answers.
  CommandResult fast = Cli({"token", "gh"});
  EXPECT_EQ(fast.exit_code, 0) << Show(fast);
  EXPECT_TRUE(fast.out == secret() + "\n") << Hide(fast.out);
  CommandResult list = Cli({"list"});
  EXPECT_EQ(list.exit_code, 0) << Show(list);
  CommandResult status = Cli({"status"});
  EXPECT_EQ(status.exit_code, 0) << Show(status);
  EXPECT_FALSE(slow->Finished()) << "the gated request finished unreleased";

  WriteFileOrDie(gate_dir + "/release", "");
  CommandResult slow_result = slow->Wait();
  EXPECT_EQ(slow_result.exit_code, 0) << Show(slow_result);
  EXPECT_EQ(slow_result.out, "gate-slow\n");
}

// The same with the counter provider, by process completion order: the
// static request, started after the slow one, must finish first.
TEST_F(ConcurrencyTest, StaticFinishesBeforeASlowCounterFetch) {
  WriteConfig(StaticCredentialToml("gh") +
              "[credential.slow]\n"
              "provider = \"counter\"\n"
              "delay_ms = 500\n"
              "env = { SLOW_TOKEN = \"{access_token}\" }\n");
  ASSERT_NE(StartAgent(), nullptr);

  std::unique_ptr<Subprocess> slow = StartCli({"token", "slow"});
  std::unique_ptr<Subprocess> fast = StartCli({"token", "gh"});
  ASSERT_NE(slow, nullptr);
  ASSERT_NE(fast, nullptr);

  // Fast is looked at before slow: "fast done, slow not" means fast
  // finished first.
  bool fast_first = false;
  absl::Time limit = absl::Now() + absl::Seconds(60);
  while (absl::Now() < limit) {
    bool fast_done = fast->Finished();
    bool slow_done = slow->Finished();
    if (slow_done) break;
    if (fast_done) {
      fast_first = true;
      break;
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
  CommandResult fast_result = fast->Wait();
  CommandResult slow_result = slow->Wait();

  EXPECT_TRUE(fast_first) << "the static request waited for the slow fetch";
  EXPECT_EQ(fast_result.exit_code, 0) << Show(fast_result);
  EXPECT_TRUE(fast_result.out == secret() + "\n") << Hide(fast_result.out);
  EXPECT_EQ(slow_result.exit_code, 0) << Show(slow_result);
  EXPECT_EQ(slow_result.out, "counter-slow-1\n");
}

TEST_F(ConcurrencyTest, ConcurrentRequestsForAColdCredentialShareOneFetch) {
  WriteConfig(
      "[credential.slow]\n"
      "provider = \"counter\"\n"
      "delay_ms = 500\n"
      "env = { SLOW_TOKEN = \"{access_token}\" }\n");
  ASSERT_NE(StartAgent(), nullptr);

  std::vector<std::unique_ptr<Subprocess>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(StartCli({"token", "slow"}));
    ASSERT_NE(clients.back(), nullptr);
  }
  for (std::unique_ptr<Subprocess>& client : clients) {
    CommandResult result = client->Wait();
    EXPECT_EQ(result.exit_code, 0) << Show(result);
    // A second fetch would have answered "counter-slow-2".
    EXPECT_EQ(result.out, "counter-slow-1\n");
  }
}

}  // namespace
}  // namespace mcpcred::testing

// A provider that never answers blocks only its own credential: more hung
// fetches than the agent has base workers, and every other credential is
// still served; the hung ones are answered UNAVAILABLE after the fetch
// timeout and shown as errors, not "ready". (Before: 4 shared workers, no
// deadline: four hung calls blocked every uncached credential, and `mcpcred
// list` called them ready.)
#include <sys/stat.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;

class HungProviderTest : public AgentTest {};

TEST_F(HungProviderTest, HungFetchesBlockOnlyTheirOwnCredentials) {
  constexpr int kHung = 6;  // more than the 4 base workers
  std::string toml = StaticCredentialToml("gh") +
                     "[credential.counted]\nprovider = \"counter\"\n"
                     "env = { C = \"{access_token}\" }\n";
  std::vector<std::string> gates;
  for (int i = 0; i < kHung; ++i) {
    gates.push_back(absl::StrCat(base_dir(), "/gate", i));
    ASSERT_EQ(mkdir(gates.back().c_str(), 0700), 0);
    absl::StrAppend(&toml, "[credential.hung", i,
                    "]\nprovider = \"gate\"\ndir = \"", gates.back(),
                    "\"\nenv = { H = \"{access_token}\" }\n");
  }
  WriteConfig(toml);
  ASSERT_NE(StartAgent({"--fetch-timeout", "2"}), nullptr);

  std::vector<std::unique_ptr<Subprocess>> hung;
  for (int i = 0; i < kHung; ++i) {
    hung.push_back(StartCli({"token", absl::StrCat("hung", i)}));
    ASSERT_NE(hung.back(), nullptr);
  }
  absl::Time limit = absl::Now() + absl::Seconds(30);
  for (const std::string& gate : gates) {
    while (!Exists(gate + "/started") && absl::Now() < limit) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    ASSERT_TRUE(Exists(gate + "/started")) << "a hung fetch never began";
  }
  // Every provider call is stuck; an uncached credential is still fetched.
  CommandResult counted = Cli({"token", "counted"});
  EXPECT_EQ(counted.exit_code, 0) << Show(counted);
  EXPECT_EQ(counted.out, "counter-counted-1\n");

  // Past the timeout, the waiting requests end with UNAVAILABLE.
  for (std::unique_ptr<Subprocess>& request : hung) {
    CommandResult result = request->Wait();
    EXPECT_FALSE(result.timed_out);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_THAT(result.err, HasSubstr("did not answer within 2s"));
  }
  CommandResult again = Cli({"token", "hung0"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("has not answered for"));
  CommandResult list = Cli({"list"});
  EXPECT_THAT(list.out, HasSubstr("has not answered for"));

  for (const std::string& gate : gates) WriteFileOrDie(gate + "/release", "");
  // Once the provider answers, the credential serves again.
  limit = absl::Now() + absl::Seconds(30);
  CommandResult released;
  do {
    released = Cli({"token", "hung0"});
  } while (released.exit_code != 0 && absl::Now() < limit &&
           (absl::SleepFor(absl::Milliseconds(50)), true));
  EXPECT_EQ(released.out, "gate-hung0\n") << Show(released);
}

}  // namespace
}  // namespace mcpcred::testing

// A provider that never answers blocks only its own credential: more hung
// fetches than the agent has base workers, and every other credential is
// still served; the hung ones are answered UNAVAILABLE after the fetch
// timeout and shown as errors, not "ready". (Before: 4 shared workers, no
// deadline: four hung calls blocked every uncached credential, and `mcpcred
// list` called them ready.)
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcred/v1/agent.grpc.pb.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;

class HungProviderTest : public AgentTest {
 protected:
  // A channel with a connection of its own (a connection carries only so
  // many calls at once).
  std::shared_ptr<grpc::Channel> NewChannel(int id) {
    grpc::ChannelArguments args;
    args.SetInt("mcpcred.test.channel", id);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel("unix:" + socket_path(),
                                     grpc::InsecureChannelCredentials(), args);
  }
};

// How `calls` GetCredential calls for `name`, each with `deadline` and spread
// over `channels`, ended: the count of each status code.
std::map<grpc::StatusCode, int> CallAll(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const std::string& name, int calls, absl::Duration deadline) {
  struct Call {
    grpc::ClientContext context;
    v1::Credential response;
  };
  std::vector<std::unique_ptr<v1::Agent::Stub>> stubs;
  for (const auto& channel : channels)
    stubs.push_back(v1::Agent::NewStub(channel));
  v1::GetCredentialRequest request;
  request.set_name(name);
  std::vector<std::unique_ptr<Call>> pending(calls);
  absl::Mutex mu;
  std::map<grpc::StatusCode, int> ended;
  int left = calls;
  for (int i = 0; i < calls; ++i) {
    pending[i] = std::make_unique<Call>();
    pending[i]->context.set_deadline(
        absl::ToChronoTime(absl::Now() + deadline));
    stubs[i % stubs.size()]->async()->GetCredential(
        &pending[i]->context, &request, &pending[i]->response,
        [&](grpc::Status status) {
          absl::MutexLock lock(&mu);
          ++ended[status.error_code()];
          --left;
        });
  }
  absl::MutexLock lock(&mu);
  mu.Await(absl::Condition(
      +[](int* n) { return *n == 0; }, &left));
  return ended;
}

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

// A client that gives up (here: its deadline passes) leaves the queue of the
// fetch it waited for at once. Before, it held its place until the fetch
// ended: a cap's worth of impatient clients, and every later request for the
// credential was refused while the provider hung.
TEST_F(HungProviderTest, ClientsThatGaveUpLeaveTheQueueOfAHungFetch) {
  const std::string gate = base_dir() + "/gate";
  ASSERT_EQ(mkdir(gate.c_str(), 0700), 0);
  WriteConfig(absl::StrCat("[credential.hung]\nprovider = \"gate\"\ndir = \"",
                           gate, "\"\nenv = { H = \"{access_token}\" }\n"));
  ASSERT_NE(StartAgent({"--fetch-timeout", "600"}), nullptr);
  std::unique_ptr<Subprocess> first = StartCli({"token", "hung"});
  ASSERT_NE(first, nullptr);
  absl::Time limit = absl::Now() + absl::Seconds(30);
  while (!Exists(gate + "/started") && absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(Exists(gate + "/started")) << "the fetch never began";

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < 32; ++i) channels.push_back(NewChannel(i));
  // More impatient callers than the queue holds: it is full, then they all
  // give up.
  std::map<grpc::StatusCode, int> ended =
      CallAll(channels, "hung", 4096 + 16, absl::Seconds(10));
  ASSERT_GE(ended[grpc::StatusCode::RESOURCE_EXHAUSTED], 1)
      << "the queue never filled up";
  EXPECT_GE(ended[grpc::StatusCode::DEADLINE_EXCEEDED], 4000);

  // A new caller is queued rather than refused: its call waits (until its
  // own deadline). The agent learns of the others' deadlines on its own
  // clock, so a refused probe is tried again, up to a safety limit.
  bool admitted = false;
  limit = absl::Now() + absl::Seconds(30);
  while (!admitted && absl::Now() < limit) {
    std::map<grpc::StatusCode, int> probe =
        CallAll({channels[0]}, "hung", 1, absl::Seconds(2));
    admitted = probe[grpc::StatusCode::DEADLINE_EXCEEDED] == 1;
    if (!admitted) {
      ASSERT_EQ(probe[grpc::StatusCode::RESOURCE_EXHAUSTED], 1);
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  EXPECT_TRUE(admitted) << "the places of callers that gave up stay taken";

  // Once the provider answers, its token serves.
  WriteFileOrDie(gate + "/release", "");
  (void)first->Wait();  // the CLI may have given up by now (10 s)
  CommandResult result;
  limit = absl::Now() + absl::Seconds(30);
  do {
    result = Cli({"token", "hung"});
  } while (result.exit_code != 0 && absl::Now() < limit &&
           (absl::SleepFor(absl::Milliseconds(50)), true));
  EXPECT_EQ(result.out, "gate-hung\n") << Show(result);
}

}  // namespace
}  // namespace mcpcred::testing

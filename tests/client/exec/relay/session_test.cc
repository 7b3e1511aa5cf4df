#include "relay/session.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::exec::relay {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

constexpr char kInitialize[] =
    R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{"sampling":{}},"clientInfo":{"name":"host","version":"1"}}})";
constexpr char kInitialized[] =
    R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
constexpr char kInitResult[] =
    R"({"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"s","version":"1"}}})";

class FakeIo : public SessionIo {
 public:
  void WriteToHost(std::string line) override {
    host.push_back(Json::parse(line));
  }
  void WriteToInstance(int instance, std::string line) override {
    to[instance].push_back(Json::parse(line));
  }
  void StopInstance(int instance) override { stopped.push_back(instance); }
  void ReplacementDone(int instance, bool ok) override {
    done.emplace_back(instance, ok);
  }
  void Log(std::string_view line) override { logs.emplace_back(line); }

  // The messages sent so far, cleared.
  std::vector<Json> TakeHost() { return std::exchange(host, {}); }
  std::vector<Json> Take(int instance) {
    return std::exchange(to[instance], {});
  }

  std::vector<Json> host;
  std::map<int, std::vector<Json>> to;
  std::vector<int> stopped;
  std::vector<std::pair<int, bool>> done;
  std::vector<std::string> logs;
};

std::string Request(int id, const std::string& method) {
  return Json({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}}).dump();
}

std::string Result(const Json& id, const std::string& text) {
  return Json({{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"text", text}}}})
      .dump();
}

class SessionTest : public ::testing::Test {
 protected:
  SessionTest()
      : session_(SessionOptions{absl::Seconds(30), absl::Seconds(10)}, &io_,
                 &masker_) {}

  // Instance 1, initialized by the host.
  void StartSession() {
    session_.AddFirstInstance(1);
    session_.OnHostLine(kInitialize, kT0);
    ASSERT_THAT(io_.Take(1), ElementsAre(Json::parse(kInitialize)));
    session_.OnInstanceLine(1, kInitResult, kT0);
    ASSERT_THAT(io_.TakeHost(), ElementsAre(Json::parse(kInitResult)));
    EXPECT_FALSE(session_.CanReplace()) << "not initialized yet";
    session_.OnHostLine(kInitialized, kT0);
    ASSERT_THAT(io_.Take(1), ElementsAre(Json::parse(kInitialized)));
    EXPECT_TRUE(session_.CanReplace());
  }

  // Instance `instance` answers its replayed initialize and takes over.
  void Replace(int instance) {
    session_.AddReplacement(instance, kT0);
    std::vector<Json> replay = io_.Take(instance);
    ASSERT_EQ(replay.size(), 1u);
    EXPECT_EQ(replay[0]["method"], "initialize");
    EXPECT_EQ(replay[0]["params"], Json::parse(kInitialize)["params"]);
    EXPECT_NE(replay[0]["id"], 0) << "replayed under a relay id";
    Json answer = Json::parse(kInitResult);
    answer["id"] = replay[0]["id"];
    session_.OnInstanceLine(instance, answer.dump(), kT0);
    EXPECT_THAT(io_.TakeHost(), IsEmpty()) << "the host sees one initialize";
    EXPECT_THAT(io_.Take(instance), ElementsAre(Json::parse(kInitialized)));
    EXPECT_EQ(session_.current(), instance);
  }

  FakeIo io_;
  MessageMasker masker_;
  Session session_;
};

TEST_F(SessionTest, ReplacementTakesNewRequestsWhileTheOldOneFinishes) {
  StartSession();
  session_.OnHostLine(Request(5, "tools/call"), kT0);
  EXPECT_EQ(io_.Take(1).size(), 1u);
  Replace(2);
  EXPECT_THAT(io_.done, ElementsAre(std::make_pair(2, true)));
  EXPECT_THAT(io_.stopped, IsEmpty()) << "instance 1 still holds request 5";

  session_.OnHostLine(Request(6, "tools/call"), kT0);
  EXPECT_EQ(io_.Take(2).size(), 1u);
  EXPECT_THAT(io_.Take(1), IsEmpty());

  session_.OnInstanceLine(1, Result(5, "old"), kT0 + absl::Seconds(1));
  EXPECT_THAT(io_.TakeHost(), ElementsAre(Json::parse(Result(5, "old"))));
  EXPECT_THAT(io_.stopped, ElementsAre(1)) << "drained: stopped";
  session_.OnInstanceLine(2, Result(6, "new"), kT0 + absl::Seconds(1));
  EXPECT_THAT(io_.TakeHost(), ElementsAre(Json::parse(Result(6, "new"))));
  EXPECT_EQ(session_.replacements(), 1u);
}

TEST_F(SessionTest, DrainTimeoutAnswersWhatIsLeftWithAnErrorThatSaysWhy) {
  StartSession();
  session_.OnHostLine(Request(7, "tools/call"), kT0);
  Replace(2);
  session_.OnTimer(kT0 + absl::Seconds(29));
  EXPECT_THAT(io_.TakeHost(), IsEmpty());
  EXPECT_EQ(session_.NextDeadline(), kT0 + absl::Seconds(30));
  session_.OnTimer(kT0 + absl::Seconds(30));
  std::vector<Json> host = io_.TakeHost();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0]["id"], 7);
  EXPECT_EQ(host[0]["error"]["code"], kInternalError);
  EXPECT_THAT(host[0]["error"]["message"].get<std::string>(),
              HasSubstr("drain timeout (30 s)"));
  EXPECT_THAT(io_.stopped, ElementsAre(1));
  // Its late answer is dropped: the host got one response for id 7.
  session_.OnInstanceLine(1, Result(7, "late"), kT0 + absl::Seconds(31));
  EXPECT_THAT(io_.TakeHost(), IsEmpty());
}

TEST_F(SessionTest, DrainingInstanceThatExitsFailsItsRequests) {
  StartSession();
  session_.OnHostLine(Request(8, "resources/read"), kT0);
  Replace(2);
  session_.OnInstanceExited(1, kT0 + absl::Seconds(1));
  std::vector<Json> host = io_.TakeHost();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0]["id"], 8);
  EXPECT_THAT(host[0]["error"]["message"].get<std::string>(),
              HasSubstr("exited"));
}

TEST_F(SessionTest, ReplacementThatDoesNotAnswerInTimeIsAbandoned) {
  StartSession();
  session_.AddReplacement(2, kT0);
  EXPECT_FALSE(session_.CanReplace()) << "one replacement at a time";
  session_.OnHostLine(Request(9, "tools/list"), kT0);
  EXPECT_EQ(io_.Take(1).size(), 1u) << "the current instance still serves";
  session_.OnTimer(kT0 + absl::Seconds(10));
  EXPECT_EQ(session_.current(), 1);
  EXPECT_THAT(io_.stopped, ElementsAre(2));
  EXPECT_THAT(io_.done, ElementsAre(std::make_pair(2, false)));
  ASSERT_EQ(io_.logs.size(), 1u);
  EXPECT_THAT(io_.logs[0], HasSubstr("did not answer the replayed initialize"));
  EXPECT_THAT(io_.logs[0], HasSubstr("staying on the current one"));
  session_.OnInstanceExited(2, kT0 + absl::Seconds(11));
  EXPECT_TRUE(session_.CanReplace());
  EXPECT_EQ(io_.done.size(), 1u) << "abandoned once";
}

TEST_F(SessionTest, ReplacementThatExitsOrErrsIsAbandoned) {
  StartSession();
  session_.AddReplacement(2, kT0);
  session_.OnInstanceExited(2, kT0);
  EXPECT_THAT(io_.done, ElementsAre(std::make_pair(2, false)));
  session_.AddReplacement(3, kT0);
  Json replay = io_.Take(3).at(0);
  session_.OnInstanceLine(
      3, ErrorResponse(replay["id"], -32602, "unsupported protocol version"),
      kT0);
  EXPECT_EQ(session_.current(), 1);
  EXPECT_THAT(io_.done.back(), std::make_pair(3, false));
  EXPECT_THAT(io_.TakeHost(), IsEmpty());
}

TEST_F(SessionTest, ServerRequestsOfTwoInstancesGetDistinctIdsAndAnswers) {
  StartSession();
  session_.OnHostLine(Request(10, "tools/call"), kT0);
  io_.Take(1);
  Replace(2);
  // Both instances ask the host for sampling with their own id 1.
  session_.OnInstanceLine(1, Request(1, "sampling/createMessage"), kT0);
  session_.OnInstanceLine(2, Request(1, "roots/list"), kT0);
  std::vector<Json> asked = io_.TakeHost();
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_NE(asked[0]["id"], asked[1]["id"]);
  // The host answers in the other order.
  session_.OnHostLine(Result(asked[1]["id"], "roots"), kT0);
  session_.OnHostLine(Result(asked[0]["id"], "sample"), kT0);
  EXPECT_THAT(io_.Take(2), ElementsAre(Json::parse(Result(1, "roots"))));
  EXPECT_THAT(io_.Take(1), ElementsAre(Json::parse(Result(1, "sample"))));
}

TEST_F(SessionTest, CancellationGoesToTheInstanceHoldingTheRequest) {
  StartSession();
  session_.OnHostLine(Request(11, "tools/call"), kT0);
  Replace(2);
  session_.OnHostLine(Request(12, "tools/call"), kT0);
  io_.Take(1);
  io_.Take(2);
  std::string cancel11 =
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":11}})";
  std::string cancel12 =
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":12}})";
  session_.OnHostLine(cancel11, kT0);
  session_.OnHostLine(cancel12, kT0);
  EXPECT_THAT(io_.Take(1), ElementsAre(Json::parse(cancel11)));
  EXPECT_THAT(io_.Take(2), ElementsAre(Json::parse(cancel12)));
}

TEST_F(SessionTest, ServerCancellationOfItsOwnRequestUsesTheRelayId) {
  StartSession();
  session_.OnInstanceLine(1, Request(3, "elicitation/create"), kT0);
  Json relay_id = io_.TakeHost().at(0)["id"];
  session_.OnInstanceLine(
      1,
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})",
      kT0);
  EXPECT_EQ(io_.TakeHost().at(0)["params"]["requestId"], relay_id);
}

TEST_F(SessionTest, LogLevelIsReplayedAndItsAnswerKept) {
  StartSession();
  session_.OnHostLine(
      R"({"jsonrpc":"2.0","id":20,"method":"logging/setLevel","params":{"level":"debug"}})",
      kT0);
  session_.OnInstanceLine(1, Result(20, ""), kT0);
  io_.TakeHost();
  session_.AddReplacement(2, kT0);
  Json replay = io_.Take(2).at(0);
  Json answer = Json::parse(kInitResult);
  answer["id"] = replay["id"];
  session_.OnInstanceLine(2, answer.dump(), kT0);
  std::vector<Json> sent = io_.Take(2);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1]["method"], "logging/setLevel");
  EXPECT_EQ(sent[1]["params"]["level"], "debug");
  session_.OnInstanceLine(2, Result(sent[1]["id"], ""), kT0);
  EXPECT_THAT(io_.TakeHost(), IsEmpty());
}

TEST_F(SessionTest, NotificationsReachEveryServingInstanceAndServersReachHost) {
  StartSession();
  session_.OnHostLine(Request(30, "tools/call"), kT0);
  Replace(2);
  io_.Take(1);
  std::string roots =
      R"({"jsonrpc":"2.0","method":"notifications/roots/list_changed"})";
  session_.OnHostLine(roots, kT0);
  EXPECT_EQ(io_.Take(1).size(), 1u);
  EXPECT_EQ(io_.Take(2).size(), 1u);
  std::string progress =
      R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","progress":1}})";
  session_.OnInstanceLine(1, progress, kT0);
  EXPECT_THAT(io_.TakeHost(), ElementsAre(Json::parse(progress)));
}

TEST_F(SessionTest, ServerOutputIsMasked) {
  masker_.SetRedactionSet(
      RedactionSet::Build({{"s3cret-value-123456", "github"}}));
  StartSession();
  session_.OnHostLine(Request(40, "tools/call"), kT0);
  session_.OnInstanceLine(1, Result(40, "token s3cret-value-123456"), kT0);
  EXPECT_EQ(io_.TakeHost().at(0)["result"]["text"], "token [REDACTED:github]");
}

TEST_F(SessionTest, OversizedHostMessageGetsAnError) {
  StartSession();
  session_.OnHostOverflow(100 << 20);
  std::vector<Json> host = io_.TakeHost();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_TRUE(host[0]["id"].is_null());
  EXPECT_EQ(host[0]["error"]["code"], kInvalidRequest);
}

}  // namespace
}  // namespace mcpcred::exec::relay

// The Streamable HTTP exchanges against a local HTTP server: session id and
// protocol version headers, JSON and SSE answers, resumption with
// Last-Event-ID, a renewed session after 404, the fallback to HTTP+SSE, and
// errors for the host instead of silence.
#include "remote_session.h"

#include <atomic>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/client/remote/fakes.h"
#include "tests/client/remote/http_stub.h"

namespace mcpcred::remote {
namespace {

using testing::FakeCredentials;
using ::testing::HasSubstr;
using testing::HostPipe;
using testing::HttpStub;
using testing::Json;
using testing::Sse;
using testing::StubRequest;
using testing::StubResponse;

constexpr char kInitialize[] =
    R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";
constexpr char kInitialized[] =
    R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
constexpr char kList[] = R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})";
constexpr char kInitResult[] =
    R"({"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"s","version":"1"}}})";
constexpr char kListResult[] =
    R"({"jsonrpc":"2.0","id":1,"result":{"tools":[]}})";

std::string Method(const StubRequest& request) {
  nlohmann::json body =
      nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  return body.is_object() ? body.value("method", "") : "";
}

class RemoteSessionTest : public ::testing::Test {
 protected:
  void Start(HttpStub::Handler handler, const std::string& path = "/mcp") {
    stub_ = std::make_unique<HttpStub>(std::move(handler));
    RemoteOptions options;
    options.url = stub_->Url(path);
    options.default_retry = std::chrono::milliseconds(10);
    session_ = std::make_unique<RemoteSession>(options, &sender_, &host_);
  }
  void Relay(const std::string& line) {
    absl::StatusOr<HostMessage> message = ParseHostMessage(line);
    ASSERT_TRUE(message.ok());
    session_->Relay(*message);
  }
  // What the host read, after the session closed.
  std::vector<nlohmann::json> HostRead() {
    session_->Close();
    std::vector<nlohmann::json> messages;
    for (const std::string& line : pipe_.Lines()) {
      messages.push_back(nlohmann::json::parse(line));
    }
    return messages;
  }

  CurlHttp http_;
  FakeCredentials credentials_;
  AuthorizedSender sender_{&http_, &credentials_, nullptr, nullptr};
  Masker masker_;
  HostPipe pipe_;
  HostOutput host_{pipe_.write_fd(), &masker_};
  std::unique_ptr<HttpStub> stub_;
  std::unique_ptr<RemoteSession> session_;
};

TEST_F(RemoteSessionTest, SessionHeadersJsonAndSseAnswersAndDelete) {
  Start([](const StubRequest& request) {
    if (request.method == "GET") return Json(405, "");
    if (request.method == "DELETE") return Json(200, "");
    std::string method = Method(request);
    if (method == "initialize") {
      return Json(200, kInitResult, {{"Mcp-Session-Id", "s-1"}});
    }
    if (method == "notifications/initialized") return Json(202, "");
    // tools/list: a notification first, then the answer, cut anywhere.
    return Sse({"id: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/",
                "progress\",\"params\":{}}\n\nid: 2\nda",
                std::string("ta: ") + kListResult + "\r\n\r\n"});
  });
  Relay(kInitialize);
  EXPECT_EQ(session_->session_id(), "s-1");
  EXPECT_EQ(session_->protocol_version(), "2025-06-18");
  Relay(kInitialized);
  Relay(kList);
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 3u);
  EXPECT_EQ(host[0], nlohmann::json::parse(kInitResult));
  EXPECT_EQ(host[1]["method"], "notifications/progress");
  EXPECT_EQ(host[2], nlohmann::json::parse(kListResult));

  std::vector<StubRequest> requests = stub_->requests();
  ASSERT_GE(requests.size(), 5u);
  EXPECT_EQ(requests[0].Header("mcp-session-id"), "");
  EXPECT_EQ(requests[0].Header("mcp-protocol-version"), "");
  EXPECT_EQ(requests[0].Header("accept"),
            "application/json, text/event-stream");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  for (const StubRequest& request : requests) {
    EXPECT_EQ(request.Header("authorization"),
              "Bearer " + FakeCredentials::TokenOf(1));
    if (&request == &requests[0]) continue;
    EXPECT_EQ(request.Header("mcp-session-id"), "s-1") << request.method;
    EXPECT_EQ(request.Header("mcp-protocol-version"), "2025-06-18");
  }
  // The GET stream after initialized, then the DELETE at the end.
  int gets = 0;
  for (const StubRequest& request : requests) gets += request.method == "GET";
  EXPECT_EQ(gets, 1);
  EXPECT_EQ(requests.back().method, "DELETE");
}

TEST_F(RemoteSessionTest, ResumesADroppedStreamWithLastEventId) {
  Start([](const StubRequest& request) {
    if (request.method == "POST") {
      // A priming event and a retry, then the connection drops.
      return Sse({"id: e1\nretry: 5\ndata:\n\n"});
    }
    if (request.Header("last-event-id") == "e1") {
      return Sse({std::string("id: e2\ndata: ") + kListResult + "\n\n"});
    }
    return Json(400, "");
  });
  Relay(kList);
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0], nlohmann::json::parse(kListResult));
}

TEST_F(RemoteSessionTest, TheGetStreamReconnectsWithLastEventId) {
  std::atomic<int> gets{0};
  Start([&gets](const StubRequest& request) {
    if (request.method == "GET") {
      if (++gets == 1) {
        StubResponse first =
            Sse({"retry: 5\nid: g1\ndata: "
                 "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/a\"}\n\n"});
        return first;
      }
      if (request.Header("last-event-id") == "g1") {
        return Sse(
            {"id: g2\ndata: "
             "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/b\"}\n\n"});
      }
      return Json(405, "");
    }
    if (Method(request) == "initialize") {
      return Json(200, kInitResult, {{"Mcp-Session-Id", "s-1"}});
    }
    return Json(202, "");
  });
  Relay(kInitialize);
  Relay(kInitialized);
  for (int i = 0; i < 200 && gets.load() < 3; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 3u);
  EXPECT_EQ(host[1]["method"], "notifications/a");
  EXPECT_EQ(host[2]["method"], "notifications/b");
  std::vector<StubRequest> requests = stub_->requests();
  int with_id = 0;
  for (const StubRequest& request : requests) {
    if (request.method == "GET" && request.Header("last-event-id") == "g1") {
      ++with_id;
      EXPECT_EQ(request.Header("mcp-session-id"), "s-1");
    }
  }
  EXPECT_EQ(with_id, 1);
}

TEST_F(RemoteSessionTest, AStreamWithoutAnswerBecomesAnError) {
  Start([](const StubRequest&) { return Sse({": nothing\n\n"}); });
  Relay(kList);
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0]["id"], 1);
  EXPECT_EQ(host[0]["error"]["code"], kErrorUpstream);
}

TEST_F(RemoteSessionTest, ExpiredSessionIsRenewedAndTheMessageResent) {
  std::atomic<int> sessions{0};
  Start([&sessions](const StubRequest& request) {
    if (request.method != "POST") return Json(405, "");
    std::string method = Method(request);
    if (method == "initialize") {
      return Json(200, kInitResult,
                  {{"Mcp-Session-Id", "s-" + std::to_string(++sessions)}});
    }
    if (request.Header("mcp-session-id") == "s-1") return Json(404, "");
    if (method == "notifications/initialized") return Json(202, "");
    return Json(200, kListResult);
  });
  Relay(kInitialize);
  Relay(kList);
  EXPECT_EQ(session_->session_id(), "s-2");
  std::vector<nlohmann::json> host = HostRead();
  // One initialize answer (the host's), one tools/list answer.
  ASSERT_EQ(host.size(), 2u);
  EXPECT_EQ(host[1], nlohmann::json::parse(kListResult));
}

TEST_F(RemoteSessionTest, HttpErrorsAnswerTheRequest) {
  Start([](const StubRequest& request) {
    if (Method(request) == "tools/list") {
      return Json(
          400,
          R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"bad"}})");
    }
    return Json(500, "<html>down</html>");
  });
  Relay(kList);
  Relay(R"({"jsonrpc":"2.0","id":"x","method":"tools/call"})");
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 2u);
  EXPECT_EQ(host[0]["id"], 1);
  EXPECT_EQ(host[0]["error"]["message"], "bad");
  EXPECT_EQ(host[1]["id"], "x");
  EXPECT_THAT(host[1]["error"]["message"].get<std::string>(),
              HasSubstr("HTTP 500"));
}

TEST_F(RemoteSessionTest, WhatAChallengeSaysIsMaskedOnStderrToo) {
  masker_.AddCredential(**credentials_.Get());
  const std::string token = FakeCredentials::TokenOf(1);
  Start([&token](const StubRequest&) {
    return Json(403, "{}",
                {{"WWW-Authenticate", "Bearer error=\"" + token + "\""}});
  });
  ::testing::internal::CaptureStderr();
  Relay(kList);
  std::string stderr_text = ::testing::internal::GetCapturedStderr();
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0].dump().find(token), std::string::npos);
  EXPECT_EQ(stderr_text.find(token), std::string::npos);
  EXPECT_THAT(stderr_text, HasSubstr("HTTP 403 ([REDACTED:linear])"));
}

TEST_F(RemoteSessionTest, LoginNeededAnswersWithWhatToRun) {
  credentials_.set_login_needed(true);
  Start([](const StubRequest&) { return Json(200, kListResult); });
  Relay(kList);
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0]["error"]["code"], kErrorLoginRequired);
  EXPECT_THAT(host[0]["error"]["message"].get<std::string>(),
              HasSubstr("run 'mcpcred login linear'"));
  EXPECT_TRUE(stub_->requests().empty());
}

TEST_F(RemoteSessionTest, UnreachableServerAnswersTheRequest) {
  std::string url;
  {
    HttpStub gone([](const StubRequest&) { return Json(200, ""); });
    url = gone.Url("/mcp");
  }
  RemoteOptions options;
  options.url = url;
  session_ = std::make_unique<RemoteSession>(options, &sender_, &host_);
  Relay(kList);
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0]["error"]["code"], kErrorUpstream);
}

TEST_F(RemoteSessionTest, FallsBackToHttpSse) {
  std::atomic<bool> posted{false};
  Start(
      [&posted](const StubRequest& request) {
        if (request.method == "POST" && request.target == "/sse") {
          return Json(405, "");
        }
        if (request.method == "GET" && request.target == "/sse") {
          StubResponse stream = Sse(
              {"event: endpoint\ndata: /messages?sid=7\n\n",
               std::string("event: message\ndata: ") + kInitResult + "\n\n"});
          stream.pause = absl::Milliseconds(200);
          return stream;
        }
        if (request.method == "POST" && request.target == "/messages?sid=7") {
          posted = true;
          return Json(202, "");
        }
        return Json(404, "");
      },
      "/sse");
  Relay(kInitialize);
  EXPECT_TRUE(session_->legacy());
  EXPECT_TRUE(posted.load());
  absl::SleepFor(absl::Milliseconds(400));
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0], nlohmann::json::parse(kInitResult));
}

TEST_F(RemoteSessionTest, TheHostNeverSeesTheToken) {
  masker_.AddCredential(**credentials_.Get());
  Start([](const StubRequest& request) {
    std::string echoed = request.Header("authorization");
    return Json(200, nlohmann::json({{"jsonrpc", "2.0"},
                                     {"id", 1},
                                     {"result", {{"echo", echoed}}}})
                         .dump());
  });
  Relay(kList);
  std::vector<nlohmann::json> host = HostRead();
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0]["result"]["echo"], "[REDACTED:linear]");
  EXPECT_EQ(masker_.TakeCounts()["linear"], 1u);
}

}  // namespace
}  // namespace mcpcred::remote

// 401 and 403 handling against a local HTTP server: one forced refresh per
// request, step-up with the union of challenged scopes once per challenge,
// login-needed errors that say what to run.
#include "authorized_sender.h"

#include <atomic>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/remote/fakes.h"
#include "tests/client/remote/http_stub.h"

namespace mcpcred::remote {
namespace {

using ::testing::ElementsAre;
using testing::FakeCredentials;
using testing::FakeReauthorizer;
using ::testing::HasSubstr;
using testing::HttpStub;
using testing::Json;
using testing::StubRequest;
using testing::StubResponse;

std::string Bearer(uint64_t version) {
  return "Bearer " + FakeCredentials::TokenOf(version);
}

StubResponse ScopeChallenge(const std::string& scopes) {
  return Json(403, R"({"error":"insufficient_scope"})",
              {{"WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", scope=\"" + scopes +
                    "\", resource_metadata=\"http://x/.well-known/o\""}});
}

class AuthorizedSenderTest : public ::testing::Test {
 protected:
  absl::StatusOr<HttpResponse> Post(HttpStub& stub) {
    HttpRequest request;
    request.url = stub.Url("/mcp");
    request.body = "{}";
    return sender_.Send(request);
  }

  CurlHttp http_;
  FakeCredentials credentials_;
  FakeReauthorizer reauthorizer_{&credentials_};
  AuthorizedSender sender_{&http_, &credentials_, &reauthorizer_, nullptr};
};

TEST_F(AuthorizedSenderTest, SendsTheCredentialsHeaders) {
  HttpStub stub([](const StubRequest&) { return Json(200, "{}"); });
  absl::StatusOr<HttpResponse> response = Post(stub);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  ASSERT_EQ(stub.requests().size(), 1u);
  EXPECT_EQ(stub.requests()[0].Header("authorization"), Bearer(1));
  EXPECT_EQ(credentials_.refreshes(), 0);
}

TEST_F(AuthorizedSenderTest, RefreshesOnceAfter401AndRetries) {
  HttpStub stub([](const StubRequest& request) {
    return request.Header("authorization") == Bearer(1)
               ? Json(401, "{}",
                      {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}})
               : Json(200, R"({"ok":true})");
  });
  absl::StatusOr<HttpResponse> response = Post(stub);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"ok":true})");
  EXPECT_EQ(credentials_.refreshes(), 1);
  ASSERT_EQ(stub.requests().size(), 2u);
  EXPECT_EQ(stub.requests()[1].Header("authorization"), Bearer(2));
}

TEST_F(AuthorizedSenderTest, GivesUpAfterOneRefresh) {
  HttpStub stub([](const StubRequest&) { return Json(401, "{}"); });
  absl::StatusOr<HttpResponse> response = Post(stub);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(credentials_.refreshes(), 1);
  EXPECT_EQ(stub.requests().size(), 2u);
}

TEST_F(AuthorizedSenderTest, StepsUpOnInsufficientScope) {
  HttpStub stub([](const StubRequest& request) {
    return request.Header("authorization") == Bearer(1)
               ? ScopeChallenge("mcp:read mcp:write")
               : Json(200, "{}");
  });
  absl::StatusOr<HttpResponse> response = Post(stub);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(reauthorizer_.calls(),
              ElementsAre(ElementsAre("mcp:read", "mcp:write")));
  EXPECT_EQ(sender_.step_ups(), 1);
  ASSERT_EQ(stub.requests().size(), 2u);
  EXPECT_EQ(stub.requests()[1].Header("authorization"), Bearer(2));
}

TEST_F(AuthorizedSenderTest, RetriesOncePerChallenge) {
  HttpStub stub([](const StubRequest&) { return ScopeChallenge("a"); });
  absl::StatusOr<HttpResponse> response = Post(stub);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 403);
  EXPECT_EQ(reauthorizer_.calls().size(), 1u);
  EXPECT_EQ(stub.requests().size(), 2u);
}

TEST_F(AuthorizedSenderTest, EachNewChallengeAddsItsScopes) {
  HttpStub stub([](const StubRequest& request) {
    if (request.Header("authorization") == Bearer(1))
      return ScopeChallenge("a");
    if (request.Header("authorization") == Bearer(2))
      return ScopeChallenge("b a");
    return Json(200, "{}");
  });
  absl::StatusOr<HttpResponse> response = Post(stub);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(reauthorizer_.calls(),
              ElementsAre(ElementsAre("a"), ElementsAre("a", "b")));
}

TEST_F(AuthorizedSenderTest, ConcurrentChallengesShareOneStepUp) {
  HttpStub stub([](const StubRequest& request) {
    return request.Header("authorization") == Bearer(1) ? ScopeChallenge("w")
                                                        : Json(200, "{}");
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      absl::StatusOr<HttpResponse> response = Post(stub);
      if (response.ok() && response->status == 200) ++ok;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(reauthorizer_.calls().size(), 1u);
}

TEST_F(AuthorizedSenderTest, ForbiddenWithoutScopeChallengeIsReturned) {
  HttpStub stub([](const StubRequest&) { return Json(403, "{}"); });
  absl::StatusOr<HttpResponse> response = Post(stub);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 403);
  EXPECT_TRUE(reauthorizer_.calls().empty());
  EXPECT_EQ(stub.requests().size(), 1u);
}

TEST_F(AuthorizedSenderTest, LoginNeededSaysWhatToRun) {
  credentials_.set_login_needed(true);
  HttpStub stub([](const StubRequest&) { return Json(200, "{}"); });
  absl::StatusOr<HttpResponse> response = Post(stub);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(response.status().message(),
              HasSubstr("run 'mcpcred login linear'"));
  EXPECT_TRUE(stub.requests().empty());
}

TEST_F(AuthorizedSenderTest, UnreachableServerIsUnavailable) {
  std::string url;
  {
    HttpStub gone([](const StubRequest&) { return Json(200, "{}"); });
    url = gone.Url("/mcp");
  }
  HttpRequest request;
  request.url = url;
  absl::StatusOr<HttpResponse> response = sender_.Send(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(),
              ::testing::Not(HasSubstr(FakeCredentials::TokenOf(1))));
}

}  // namespace
}  // namespace mcpcred::remote

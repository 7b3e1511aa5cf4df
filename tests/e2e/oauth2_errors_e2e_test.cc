// The oauth2 provider's error paths (issue 3) against the real authorization
// server: each ends in a clear message, and the agent keeps serving the
// other credentials (the static one of the fixture, and a logged-in one
// where it matters).
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/oauth_fixture.h"
#include "tests/e2e/streaming_child.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A loopback port nothing listens on (bound, then closed).
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) close(fd);
  return port;
}

std::string HostPort(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  return rest.substr(0, rest.find('/'));
}

class OAuth2ErrorsTest : public OAuthTest {
 protected:
  // A failed login: not exit 0, an error event last, its message on stderr.
  void ExpectLoginFails(const LoginRun& run, const std::string& message_part) {
    EXPECT_NE(run.result.exit_code, 0) << ShowLogin(run);
    EXPECT_NE(run.result.exit_code, 5)
        << "a failed login must not say \"log in\": " << ShowLogin(run);
    EXPECT_EQ(run.LastEvent(), "error") << ShowLogin(run);
    EXPECT_THAT(run.ErrorMessage(), HasSubstr(message_part)) << ShowLogin(run);
    EXPECT_THAT(run.result.err, HasSubstr(message_part)) << ShowLogin(run);
    EXPECT_EQ(run.result.err.find('\n'), run.result.err.size() - 1)
        << "not one line: " << ShowLogin(run);
  }

  // The refresh fails as `inject` makes it (an AS control request for
  // many /token answers): the still-valid token keeps being served and
  // accepted, then after its expiry `mcpcred token` fails with a message
  // holding `message_part`; with the injection gone a new token comes.
  void RefreshFailureKeepsTheValidToken(const std::string& inject,
                                        const std::string& message_part);
};

TEST_F(OAuth2ErrorsTest, AuthorizationServerOnAWrongPort) {
  ASSERT_NE(StartPeers(), nullptr);
  const int port = ClosedPort();
  ASSERT_NE(port, 0);
  const std::string dead = absl::StrCat("http://127.0.0.1:", port, "/mcp");
  WriteOAuthConfig(absl::StrCat(OAuthToml("demo"), "[credential.down]\n",
                                "provider = \"oauth2\"\nresource = \"", dead,
                                "\"\nscopes = [\"mcp:read\"]\n"
                                "headers = { Authorization = \"Bearer "
                                "{access_token}\" }\n"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));

  CommandResult token = Token("down");
  EXPECT_EQ(token.exit_code, 1) << ShowResult(token);
  EXPECT_THAT(token.err, HasSubstr(absl::StrCat("127.0.0.1:", port)))
      << "the message does not name the server: " << ShowResult(token);
  LoginRun login = Login("down", {}, Browser());
  ExpectLoginFails(login, absl::StrCat("127.0.0.1:", port));
  std::printf("[message] AS on a wrong port: %s", token.err.c_str());

  EXPECT_EQ(ResourceStatus(TokenOrFail("demo")), 200);
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, AuthorizationServerDownAfterLogin) {
  ASSERT_NE(StartPeers({"--access-ttl", "3"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  ASSERT_FALSE(TokenOrFail("demo").empty());
  const std::string as = HostPort(peers()->issuer());
  peers()->Stop();

  // Once the 3 s token is gone, nothing can replace it.
  CommandResult token;
  ASSERT_TRUE(PollUntil([&] {
    token = Token("demo");
    return token.exit_code != 0;
  })) << "a token is still served with the server down";
  EXPECT_EQ(token.exit_code, 1) << ShowResult(token);
  EXPECT_THAT(token.err, HasSubstr(as))
      << "the message does not name the server: " << ShowResult(token);
  std::printf("[message] AS down: %s", token.err.c_str());
  ExpectStaticServed();
}

void OAuth2ErrorsTest::RefreshFailureKeepsTheValidToken(
    const std::string& inject, const std::string& message_part) {
  // 10 s tokens: refreshed at about 4.5 s, so a failing refresh happens
  // while the token is still good.
  ASSERT_NE(StartPeers({"--access-ttl", "10"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  const absl::Time issued = absl::Now();
  std::string first = TokenOrFail("demo");
  ASSERT_FALSE(first.empty());
  ASSERT_TRUE(peers()->AsControl(inject).ok());

  ASSERT_TRUE(PollUntil([&] { return RefreshRequests(AsStats()) >= 1; }))
      << "no refresh was tried";
  std::string during = TokenOrFail("demo");
  const absl::Time seen = absl::Now();
  if (seen < issued + absl::Seconds(9)) {  // the server's lifetime: 10 s
    EXPECT_EQ(during, first) << "not the still-valid token";
    EXPECT_EQ(ResourceStatus(during), 200);
  } else {
    ADD_FAILURE() << "too slow to check the still-valid token";
  }
  ExpectStaticServed();

  CommandResult token;
  ASSERT_TRUE(PollUntil([&] {
    token = Token("demo");
    return token.exit_code != 0;
  })) << "a token is still served long after its expiry";
  EXPECT_NE(token.exit_code, 5)
      << "a server failure is not a login to do: " << ShowResult(token);
  EXPECT_THAT(token.err, HasSubstr(message_part)) << ShowResult(token);
  EXPECT_THAT(token.err, HasSubstr(HostPort(peers()->issuer())))
      << "the message does not name the server: " << ShowResult(token);
  std::printf("[message] %s: %s", inject.c_str(), token.err.c_str());
  ExpectStaticServed();

  // The server recovers: the unspent refresh token still works.
  ASSERT_TRUE(peers()->AsControl("reset").ok());
  std::string recovered;
  ASSERT_TRUE(PollUntil([&] {
    CommandResult again = Token("demo");
    if (again.exit_code == 0) recovered = again.out;
    return again.exit_code == 0;
  })) << "no token after the server recovered";
  recovered = std::string(absl::StripTrailingAsciiWhitespace(recovered));
  EXPECT_NE(recovered, first);
  EXPECT_EQ(ResourceStatus(recovered), 200);
  nlohmann::json stats = AsStats();
  EXPECT_EQ(ReuseAttempts(stats), 0);
  EXPECT_EQ(stats.value("provider_reuse_detections", -1), 0);
}

TEST_F(OAuth2ErrorsTest, TokenEndpoint500sDuringRefresh) {
  RefreshFailureKeepsTheValidToken("fail?count=100000&status=500", "500");
}

TEST_F(OAuth2ErrorsTest, MalformedTokenResponseDuringRefresh) {
  RefreshFailureKeepsTheValidToken("malformed?count=100000", "JSON");
}

TEST_F(OAuth2ErrorsTest, WrongIssuerInMetadata) {
  ASSERT_NE(StartPeers({"--bad-issuer"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun run = Login("demo", {}, Browser());
  ExpectLoginFails(run, "issuer");
  EXPECT_THAT(run.ErrorMessage(), HasSubstr("not-this-issuer"));
  EXPECT_NE(run.FirstEvent(), "open_url") << "a login started anyway";
  EXPECT_EQ(AsStats().value("authorization_requests", -1), 0);
  std::printf("[message] wrong issuer: %s", run.result.err.c_str());
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, NoS256InMetadata) {
  ASSERT_NE(StartPeers({"--no-s256"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun plain = Login("demo", {}, Browser());
  ExpectLoginFails(plain, "S256");
  std::printf("[message] no S256: %s", plain.result.err.c_str());
  EXPECT_EQ(AsStats().value("authorization_requests", -1), 0);
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, NoCodeChallengeMethodsInMetadata) {
  ASSERT_NE(StartPeers({"--no-s256-absent"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun absent = Login("demo", {}, Browser());
  ExpectLoginFails(absent, "S256");
  EXPECT_EQ(AsStats().value("authorization_requests", -1), 0);
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, StateMismatch) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun run = Login("demo", {}, Browser({"--state", "other"}));
  ExpectLoginFails(run, "state");
  EXPECT_EQ(AsStats()["token_requests"].value("authorization_code", 0), 0)
      << "the code was redeemed anyway";
  std::printf("[message] state mismatch: %s", run.result.err.c_str());
  ExpectStaticServed();
  ASSERT_TRUE(LoginOk("demo")) << "a new login after the failed one";
}

TEST_F(OAuth2ErrorsTest, IssuerMixUpInTheCallback) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun run =
      Login("demo", {}, Browser({"--iss", "http://127.0.0.1:9/evil"}));
  ExpectLoginFails(run, "issuer");
  EXPECT_EQ(AsStats()["token_requests"].value("authorization_code", 0), 0)
      << "the code was redeemed anyway";
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, SlowDownStillLogsIn) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "grant = \"device_code\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(peers()->AsControl("slowdown?count=1").ok());
  ASSERT_TRUE(LoginOk("demo"));
  EXPECT_EQ(ResourceStatus(TokenOrFail("demo")), 200);
  nlohmann::json stats = AsStats();
  EXPECT_EQ(stats["injected"].value("slow_down", 0), 1) << stats.dump();
  // RFC 8628 3.5: after slow_down, polls are at least 5 s further apart.
  std::vector<absl::Time> polls;
  for (const nlohmann::json& entry : stats["token_log"]) {
    if (entry.value("grant_type", "") !=
        "urn:ietf:params:oauth:grant-type:device_code") {
      continue;
    }
    absl::Time t;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, entry.value("t", ""), &t, &error)) {
      polls.push_back(t);
    }
  }
  ASSERT_GE(polls.size(), 2u) << stats["token_log"].dump();
  EXPECT_GE(polls[1] - polls[0], absl::Seconds(6))
      << "the interval did not grow by 5 s after slow_down";
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, AccessDeniedInTheBrowser) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun run = Login("demo", {}, Browser({"--deny"}));
  ExpectLoginFails(run, "refused");
  EXPECT_THAT(run.ErrorMessage(), HasSubstr("access_denied"));
  std::printf("[message] access_denied: %s", run.result.err.c_str());
  CommandResult token = Token("demo");
  EXPECT_EQ(token.exit_code, 5) << ShowResult(token);
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, AccessDeniedOnTheDevice) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "grant = \"device_code\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun run = Login("demo", {}, Browser({"--deny"}));
  EXPECT_THAT(run.browser, HasSubstr("device denied"));
  ExpectLoginFails(run, "refused");
  std::printf("[message] device access_denied: %s", run.result.err.c_str());
  ExpectStaticServed();
}

TEST_F(OAuth2ErrorsTest, DeviceCodeExpires) {
  ASSERT_NE(StartPeers({"--device-ttl", "3"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "grant = \"device_code\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  LoginRun run = Login("demo", {}, nullptr);  // nobody approves
  EXPECT_EQ(run.FirstEvent(), "device_code") << ShowLogin(run);
  ExpectLoginFails(run, "expired");
  int server_said = 0;
  for (const nlohmann::json& entry : AsStats()["token_log"]) {
    if (entry.value("error", "") == "expired_token") ++server_said;
  }
  std::printf("[message] expired device code (%s): %s",
              server_said > 0 ? "the server answered expired_token"
                              : "the agent's own deadline came first",
              run.result.err.c_str());
  ExpectStaticServed();
}

// The server's own expired_token answer (the agent's deadline from
// expires_in usually comes first, as in DeviceCodeExpires).
TEST_F(OAuth2ErrorsTest, ServerAnswersExpiredToken) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "grant = \"device_code\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(
      peers()->AsControl("fail?count=1&status=400&error=expired_token").ok());
  LoginRun run = Login("demo", {}, nullptr);
  EXPECT_EQ(run.FirstEvent(), "device_code") << ShowLogin(run);
  ExpectLoginFails(run, "expired");
  EXPECT_EQ(AsStats()["injected"].value("fail", 0), 1);
  ExpectStaticServed();
}

// An administrator revokes the grant: the next refresh gets invalid_grant,
// and the credential needs a login (nothing else is lost).
TEST_F(OAuth2ErrorsTest, RevokedGrantNeedsALogin) {
  ASSERT_NE(StartPeers({"--access-ttl", "3"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "client_id = \"mcpcred-native\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  ASSERT_FALSE(TokenOrFail("demo").empty());
  ASSERT_TRUE(
      peers()->AsControl("revoke-grants?client_id=mcpcred-native").ok());

  CommandResult token;
  ASSERT_TRUE(PollUntil([&] {
    token = Token("demo");
    return token.exit_code != 0;
  })) << "a token is still served after the grant was revoked";
  EXPECT_EQ(token.exit_code, 5) << ShowResult(token);
  EXPECT_THAT(token.err, HasSubstr("needs a login: run 'mcpcred login demo'"));
  std::printf("[message] revoked grant: %s", token.err.c_str());
  ExpectStaticServed();
  ASSERT_TRUE(LoginOk("demo"));
  EXPECT_EQ(ResourceStatus(TokenOrFail("demo")), 200);
}

// The window no client can close: the server rotated the refresh token but
// its answer never arrived (cut off, or the agent was killed mid-request).
// The agent can only retry with the token it has, which oidc-provider takes
// as reuse and answers by revoking the grant: the login is lost, and the
// agent must say so clearly rather than serve anything.
TEST_F(OAuth2ErrorsTest, RotatedRefreshTokenLostInTransitNeedsALogin) {
  ASSERT_NE(StartPeers({"--access-ttl", "4"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  ASSERT_FALSE(TokenOrFail("demo").empty());
  ASSERT_TRUE(peers()->AsControl("malformed?count=1&after=1").ok());

  CommandResult token;
  ASSERT_TRUE(PollUntil([&] {
    token = Token("demo");
    return token.exit_code != 0;
  })) << "a token is still served after the rotated refresh token was lost";
  EXPECT_EQ(token.exit_code, 5) << ShowResult(token);
  EXPECT_THAT(token.err, HasSubstr("needs a login: run 'mcpcred login demo'"));
  nlohmann::json stats = AsStats();
  EXPECT_EQ(ReuseAttempts(stats), 1) << stats["token_log"].dump();
  std::printf("[message] rotated refresh token lost in transit: %s",
              token.err.c_str());
  ExpectStaticServed();
  ASSERT_TRUE(LoginOk("demo"));
  EXPECT_EQ(ResourceStatus(TokenOrFail("demo")), 200);
}

TEST_F(OAuth2ErrorsTest, LoginTimesOut) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "login_timeout_seconds = 10"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  absl::Time start = absl::Now();
  LoginRun run = Login("demo", {}, nullptr);  // the URL is never opened
  EXPECT_EQ(run.FirstEvent(), "open_url") << ShowLogin(run);
  ExpectLoginFails(run, "timed out");
  std::printf("[message] login timeout after %.1f s: %s",
              absl::ToDoubleSeconds(absl::Now() - start),
              run.result.err.c_str());
  ExpectStaticServed();
  ASSERT_TRUE(LoginOk("demo")) << "a new login after the timeout";
}

TEST_F(OAuth2ErrorsTest, CtrlCCancelsTheLoginInTheAgent) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  absl::StatusOr<std::unique_ptr<StreamingChild>> login = StreamingChild::Start(
      CliSpec({"login", "demo", "--json", "--no-browser"}));
  ASSERT_TRUE(login.ok()) << login.status();
  absl::StatusOr<std::string> first = (*login)->ReadLine(absl::Seconds(60));
  ASSERT_TRUE(first.ok()) << first.status();
  nlohmann::json event = nlohmann::json::parse(*first, nullptr, false);
  ASSERT_EQ(event.value("event", ""), "open_url") << *first;
  const std::string stale_url = event.value("url", "");

  ASSERT_TRUE((*login)->Signal(SIGINT));
  CommandResult result = (*login)->Wait(absl::Seconds(60));
  EXPECT_EQ(result.exit_code, 130) << Show(result);
  EXPECT_THAT(result.out, HasSubstr("\"event\":\"error\"")) << result.out;
  EXPECT_THAT(result.err, HasSubstr("cancel")) << Show(result);
  std::printf("[message] Ctrl-C: %s", result.err.c_str());

  // The agent's login is gone: its loopback listener no longer takes the
  // browser's redirect, and a second login starts at once and succeeds.
  CommandResult browser = RunBrowser({"authorize", stale_url});
  EXPECT_THAT(browser.out + browser.err, Not(HasSubstr("callback 200")))
      << "the cancelled login's listener still answers";
  ASSERT_TRUE(LoginOk("demo"));
  EXPECT_EQ(ResourceStatus(TokenOrFail("demo")), 200);
  ExpectStaticServed();
}

}  // namespace
}  // namespace mcpcred::testing

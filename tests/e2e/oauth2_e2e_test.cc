// End-to-end tests of the oauth2 provider (issue 3) against a real
// authorization server (oidc-provider) and an MCP-style protected resource:
// each grant, discovery from the resource URL alone, dynamic registration,
// proactive refresh with rotation, logout.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/oauth_fixture.h"
#include "tests/e2e/streaming_child.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;

// The Bearer token in `mcpcred headers` output ("Authorization: Bearer X").
std::string BearerOf(const std::string& headers) {
  const std::string kPrefix = "Authorization: Bearer ";
  size_t at = headers.find(kPrefix);
  if (at == std::string::npos) return "";
  size_t end = headers.find('\n', at);
  return headers.substr(at + kPrefix.size(), end == std::string::npos
                                                 ? std::string::npos
                                                 : end - at - kPrefix.size());
}

// One credential's entry in `mcpcred list --json`.
nlohmann::json ListEntry(const CommandResult& list, const std::string& name) {
  nlohmann::json json = nlohmann::json::parse(list.out, nullptr, false);
  if (json.is_object() && json.contains("credentials")) {
    json = json["credentials"];
  }
  if (!json.is_array()) return nullptr;
  for (const nlohmann::json& entry : json) {
    if (entry.value("name", "") == name) return entry;
  }
  return nullptr;
}

// The token and its expiry from `mcpcred token NAME --json`.
struct ServedToken {
  std::string token;
  absl::Time expires_at = absl::InfiniteFuture();
  absl::Time seen;
};

class OAuth2EndToEndTest : public OAuthTest {
 protected:
  // `mcpcred token NAME --json`; false (and a failure) if it fails.
  bool Serve(const std::string& name, ServedToken* served) {
    CommandResult result = Cli({"token", name, "--json"});
    served->seen = absl::Now();
    if (result.exit_code != 0) {
      ADD_FAILURE() << "mcpcred token " << name
                    << " --json: " << ShowResult(result);
      return false;
    }
    nlohmann::json json = nlohmann::json::parse(result.out, nullptr, false);
    if (!json.is_object() || !json["token"].is_string()) {
      ADD_FAILURE() << "not a token object: " << HideTokens(result.out);
      return false;
    }
    served->token = json["token"].get<std::string>();
    NoteToken(served->token);
    std::string error;
    if (json["expires_at"].is_string() &&
        !absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*SZ",
                         json["expires_at"].get<std::string>(),
                         &served->expires_at, &error)) {
      ADD_FAILURE() << "bad expires_at " << json["expires_at"] << ": " << error;
    }
    return true;
  }

  // After a login: the served header is accepted by the resource.
  std::string ExpectServedAndAccepted(const std::string& name) {
    CommandResult headers = Cli({"headers", name});
    EXPECT_EQ(headers.exit_code, 0) << ShowResult(headers);
    std::string token = BearerOf(headers.out);
    NoteToken(token);
    EXPECT_FALSE(token.empty()) << "no Bearer header: " << ShowResult(headers);
    if (!token.empty()) {
      EXPECT_EQ(ResourceStatus(token), 200)
          << "the resource refuses the served token";
    }
    return token;
  }
};

TEST_F(OAuth2EndToEndTest, AuthCodeWithRegistrationFromTheResourceUrlAlone) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);

  absl::Time start = absl::Now();
  absl::Duration in_browser;
  LoginRun run = Login("demo", {}, [&](const nlohmann::json& event) {
    absl::Time browser_start = absl::Now();
    std::string out = Browser()(event);
    in_browser = absl::Now() - browser_start;
    return out;
  });
  ASSERT_EQ(run.result.exit_code, 0) << ShowLogin(run);
  ASSERT_EQ(run.events.size(), 2u) << ShowLogin(run);
  EXPECT_EQ(run.FirstEvent(), "open_url");
  EXPECT_EQ(run.LastEvent(), "done");
  const std::string url = run.events[0].value("url", "");
  EXPECT_TRUE(absl::StartsWith(url, peers()->issuer() + "/auth?")) << url;

  CommandResult headers = Cli({"headers", "demo"});
  absl::Duration to_token = absl::Now() - start;
  ASSERT_EQ(headers.exit_code, 0) << ShowResult(headers);
  std::string token = BearerOf(headers.out);
  NoteToken(token);
  ASSERT_FALSE(token.empty()) << ShowResult(headers);
  EXPECT_EQ(ResourceStatus(token), 200);
  std::printf(
      "[figure] mcpcred login start -> first served token: %.0f ms "
      "(of which the scripted browser: %.0f ms)\n",
      absl::ToDoubleMilliseconds(to_token),
      absl::ToDoubleMilliseconds(in_browser));

  // Discovered from the resource, registered by DCR as a native public
  // client, PKCE S256 and the resource indicator on the authorization.
  nlohmann::json stats = AsStats();
  EXPECT_EQ(stats.value("registrations", 0), 1) << stats.dump();
  ASSERT_EQ(stats["registered_clients"].size(), 1u) << stats.dump();
  const nlohmann::json& client = stats["registered_clients"][0];
  EXPECT_EQ(client.value("application_type", ""), "native") << client.dump();
  EXPECT_EQ(client.value("token_endpoint_auth_method", ""), "none")
      << client.dump();
  ASSERT_EQ(stats["authorization_log"].size(), 1u) << stats.dump();
  const nlohmann::json& authorization = stats["authorization_log"][0];
  EXPECT_EQ(authorization.value("client_id", ""),
            client.value("client_id", "?"));
  EXPECT_EQ(authorization.value("code_challenge_method", ""), "S256");
  EXPECT_THAT(authorization["resource"].dump(),
              HasSubstr("\"" + peers()->resource() + "\""));

  CommandResult list = Cli({"list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << Show(list);
  nlohmann::json entry = ListEntry(list, "demo");
  EXPECT_EQ(entry.value("state", ""), "ready") << list.out;
  EXPECT_TRUE(entry["expires_at"].is_string()) << list.out;
  ExpectStaticServed();
}

TEST_F(OAuth2EndToEndTest, AuthCodeWithConfiguredClientId) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "client_id = \"mcpcred-native\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);

  LoginRun run = Login("demo", {}, Browser());
  ASSERT_EQ(run.result.exit_code, 0) << ShowLogin(run);
  ASSERT_EQ(run.events.size(), 2u) << ShowLogin(run);
  EXPECT_EQ(run.FirstEvent(), "open_url");
  EXPECT_EQ(run.LastEvent(), "done");
  ExpectServedAndAccepted("demo");

  nlohmann::json stats = AsStats();
  EXPECT_EQ(stats.value("registrations", -1), 0) << "registered anyway";
  ASSERT_FALSE(stats["token_log"].empty());
  EXPECT_EQ(stats["token_log"][0].value("client_id", ""), "mcpcred-native");
  EXPECT_EQ(stats["token_log"][0].value("grant_type", ""),
            "authorization_code");
  ExpectStaticServed();
}

TEST_F(OAuth2EndToEndTest, DeviceFlowGrant) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo",
                             "grant = \"device_code\"\n"
                             "client_id = \"mcpcred-native\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);

  LoginRun run = Login("demo", {}, Browser());
  ASSERT_EQ(run.result.exit_code, 0) << ShowLogin(run);
  ASSERT_EQ(run.events.size(), 2u) << ShowLogin(run);
  ASSERT_EQ(run.FirstEvent(), "device_code");
  const nlohmann::json& code = run.events[0];
  const std::string user_code = code.value("user_code", "");
  EXPECT_FALSE(user_code.empty()) << code.dump();
  EXPECT_EQ(code.value("verification_uri", ""), peers()->issuer() + "/device");
  EXPECT_THAT(code.value("verification_uri_complete", ""),
              HasSubstr("user_code=" + user_code));
  EXPECT_GT(code.value("expires_in", 0), 0);
  EXPECT_THAT(run.browser, HasSubstr("device approved"));
  EXPECT_EQ(run.LastEvent(), "done");
  ExpectServedAndAccepted("demo");
  nlohmann::json stats = AsStats();
  EXPECT_EQ(stats.value("device_authorizations", 0), 1);
  EXPECT_EQ(stats.value("authorization_requests", -1), 0);
  ExpectStaticServed();
}

TEST_F(OAuth2EndToEndTest, DeviceFlagOnAnAuthCodeCredentialWithRegistration) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);

  LoginRun run = Login("demo", {"--device"}, Browser());
  ASSERT_EQ(run.result.exit_code, 0) << ShowLogin(run);
  EXPECT_EQ(run.FirstEvent(), "device_code") << ShowLogin(run);
  EXPECT_EQ(run.LastEvent(), "done") << ShowLogin(run);
  ExpectServedAndAccepted("demo");
  nlohmann::json stats = AsStats();
  EXPECT_EQ(stats.value("registrations", 0), 1);
  EXPECT_EQ(stats.value("device_authorizations", 0), 1);
  EXPECT_EQ(stats.value("authorization_requests", -1), 0);
}

TEST_F(OAuth2EndToEndTest, ClientCredentialsNeedNoLogin) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(absl::StrCat(
      "[credential.svc]\n"
      "provider = \"oauth2\"\n"
      "resource = \"",
      peers()->resource(),
      "\"\n"
      "grant = \"client_credentials\"\n"
      "client_id = \"mcpcred-service\"\n"
      "client_secret = \"env:SVC_SECRET\"\n"
      "scopes = [\"mcp:read\"]\n"
      "headers = { Authorization = \"Bearer {access_token}\" }\n"));
  AgentProcess* agent =
      StartOAuthAgent({{"SVC_SECRET", "mcpcred-service-secret"}});
  ASSERT_NE(agent, nullptr);
  // libcurl is in the agent's http module, loaded at the first request.
  EXPECT_FALSE(absl::StrContains(agent->Maps(), "/libcurl."));

  std::string token = TokenOrFail("svc");
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(absl::StrContains(agent->Maps(), "/modules/http.so"));
  EXPECT_EQ(ResourceStatus(token), 200);
  EXPECT_EQ(ExpectServedAndAccepted("svc"), token) << "a second fetch";
  nlohmann::json stats = AsStats();
  EXPECT_EQ(stats["token_requests"].value("client_credentials", 0), 1)
      << stats.dump();
  EXPECT_EQ(stats.value("authorization_requests", -1), 0);
  CommandResult login = Cli({"login", "svc", "--json", "--no-browser"});
  EXPECT_NE(login.exit_code, 0) << Show(login);
  EXPECT_THAT(login.err, HasSubstr("needs no login"));
  ExpectStaticServed();
}

TEST_F(OAuth2EndToEndTest, ProactiveRefreshServesNewAcceptedTokens) {
  constexpr int kAccessTtl = 5;
  ASSERT_NE(StartPeers({"--access-ttl", absl::StrCat(kAccessTtl)}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));

  ServedToken first;
  ASSERT_TRUE(Serve("demo", &first));
  ASSERT_EQ(ResourceStatus(first.token), 200);
  EXPECT_LE(first.expires_at, first.seen + absl::Seconds(kAccessTtl))
      << "the agent claims a longer life than the server gave";
  // About 12 s of sampling, and in any case until well past the first
  // token's expiry.
  const absl::Time until = std::max(absl::Now() + absl::Seconds(12),
                                    first.expires_at + absl::Seconds(2));
  std::vector<std::string> distinct = {first.token};
  int after_expiry = 0;
  while (absl::Now() < until && !HasFatalFailure()) {
    absl::SleepFor(absl::Milliseconds(500));
    ServedToken served;
    ASSERT_TRUE(Serve("demo", &served));
    EXPECT_EQ(ResourceStatus(served.token), 200)
        << "the resource refuses a served token (distinct #" << distinct.size()
        << ")";
    EXPECT_GT(served.expires_at, served.seen) << "an expired token was served";
    if (served.token != distinct.back()) distinct.push_back(served.token);
    if (served.seen > first.expires_at) {
      ++after_expiry;
      EXPECT_NE(served.token, first.token)
          << "the first token is still served after its expiry";
    }
  }
  EXPECT_GT(after_expiry, 0);
  EXPECT_GE(distinct.size(), 2u);

  nlohmann::json stats = AsStats();
  EXPECT_GE(RefreshGrants(stats), static_cast<int>(distinct.size()) - 1)
      << stats.dump();
  EXPECT_EQ(ReuseAttempts(stats), 0)
      << "a rotated refresh token was sent again: "
      << stats["refresh_reuse_attempts"].dump();
  EXPECT_EQ(stats.value("provider_reuse_detections", -1), 0);
  EXPECT_EQ(stats.value("token_errors", -1), 0) << stats["token_log"].dump();
  absl::StatusOr<nlohmann::json> resource = peers()->ResourceStats();
  ASSERT_TRUE(resource.ok()) << resource.status();
  EXPECT_EQ((*resource)["tokens_accepted"].size(), distinct.size())
      << "the resource did not accept each served token";
  std::printf(
      "[figure] access-ttl %d s: %zu distinct tokens served in %.1f s, %d "
      "refresh grants, %d refresh requests, %d reuse attempts\n",
      kAccessTtl, distinct.size(),
      absl::ToDoubleSeconds(absl::Now() - first.seen), RefreshGrants(stats),
      RefreshRequests(stats), ReuseAttempts(stats));
  ExpectStaticServed();
}

// The figure the issue asks for: refreshes over 60 s with a 5 s lifetime.
// Slow, so only with MCPCRED_E2E_LONG=1.
TEST_F(OAuth2EndToEndTest, RefreshCountOverOneMinute) {
  const char* long_run = std::getenv("MCPCRED_E2E_LONG");
  if (long_run == nullptr || std::string(long_run) != "1") {
    GTEST_SKIP() << "set MCPCRED_E2E_LONG=1 to run this 60 s measurement";
  }
  ASSERT_NE(StartPeers({"--access-ttl", "5"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  const int before = RefreshGrants(AsStats());
  const absl::Time start = absl::Now();
  int samples = 0;
  while (absl::Now() - start < absl::Seconds(60)) {
    absl::SleepFor(absl::Seconds(1));
    ServedToken served;
    ASSERT_TRUE(Serve("demo", &served));
    EXPECT_EQ(ResourceStatus(served.token), 200);
    ++samples;
  }
  const absl::Duration elapsed = absl::Now() - start;
  nlohmann::json stats = AsStats();
  const int refreshes = RefreshGrants(stats) - before;
  EXPECT_EQ(ReuseAttempts(stats), 0);
  EXPECT_EQ(stats.value("token_errors", -1), 0);
  EXPECT_GE(refreshes, 60 / 5) << "fewer refreshes than token lifetimes";
  std::printf(
      "[figure] refresh count over %.1f s with a 5 s access token "
      "lifetime: %d (%d samples, all accepted; %d reuse attempts)\n",
      absl::ToDoubleSeconds(elapsed), refreshes, samples, ReuseAttempts(stats));
}

TEST_F(OAuth2EndToEndTest, LogoutRevokesAndThenNeedsALogin) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  std::string token = ExpectServedAndAccepted("demo");

  CommandResult logout = Cli({"logout", "demo"});
  ASSERT_EQ(logout.exit_code, 0) << Show(logout);
  nlohmann::json stats = AsStats();
  EXPECT_GE(stats.value("revocations", 0), 1) << stats.dump();
  bool refresh_revoked = false;
  for (const nlohmann::json& entry : stats["revocation_log"]) {
    if (entry.value("kind", "") == "refresh_token" &&
        entry.value("status", 0) == 200) {
      refresh_revoked = true;
    }
  }
  EXPECT_TRUE(refresh_revoked) << stats["revocation_log"].dump();
  EXPECT_EQ(ResourceStatus(token), 401) << "the old token still works";

  CommandResult after = Token("demo");
  EXPECT_EQ(after.exit_code, 5) << ShowResult(after);
  EXPECT_THAT(after.err, HasSubstr("needs a login: run 'mcpcred login demo'"));
  CommandResult list = Cli({"list", "--json"});
  EXPECT_EQ(ListEntry(list, "demo").value("state", ""), "login_required")
      << list.out;
  CommandResult again = Cli({"logout", "demo"});
  EXPECT_EQ(again.exit_code, 0) << "logout is not idempotent: " << Show(again);
  ExpectStaticServed();

  ASSERT_TRUE(LoginOk("demo"));
  std::string fresh = ExpectServedAndAccepted("demo");
  EXPECT_NE(fresh, token);
  EXPECT_EQ(
      AsStats()
          .value("revoked_refresh_token_use_attempts", nlohmann::json::array())
          .size(),
      0u)
      << "the revoked refresh token was sent";
}

// The person opens the URL on another machine; the browser ends on the
// loopback address, which does not load there; they paste it back.
TEST_F(OAuth2EndToEndTest, PasteCompletesALoginWithoutABrowserHere) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo", "client_id = \"mcpcred-native\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);

  StreamingOptions options;
  options.pipe_stdin = true;
  absl::StatusOr<std::unique_ptr<StreamingChild>> login = StreamingChild::Start(
      CliSpec({"login", "demo", "--json", "--no-browser", "--paste"}), options);
  ASSERT_TRUE(login.ok()) << login.status();
  absl::StatusOr<std::string> line = (*login)->ReadLine(absl::Seconds(60));
  ASSERT_TRUE(line.ok()) << line.status();
  nlohmann::json event = nlohmann::json::parse(*line, nullptr, false);
  ASSERT_EQ(event.value("event", ""), "open_url") << HideTokens(*line);

  // The other machine's browser: it stops at the redirect, without loading
  // it, and shows the address.
  CommandResult browser =
      RunBrowser({"authorize", event.value("url", ""), "--no-callback",
                  "--show-code", "--quiet"});
  ASSERT_EQ(browser.exit_code, 0) << browser.Outcome() << browser.err;
  const size_t at = browser.out.find("redirect ");
  ASSERT_NE(at, std::string::npos) << "no redirect shown";
  std::string redirect = browser.out.substr(at + 9);
  redirect = redirect.substr(0, redirect.find('\n'));
  ASSERT_TRUE(absl::StartsWith(redirect, "http://127.0.0.1:"));

  ASSERT_TRUE((*login)->WriteStdin("not the address\n" + redirect + "\n"));
  std::string last;
  while (true) {
    absl::StatusOr<std::string> next = (*login)->ReadLine(absl::Seconds(60));
    if (!next.ok()) break;
    last = *next;
  }
  (*login)->CloseStdin();
  CommandResult result = (*login)->Wait(absl::Seconds(60));
  EXPECT_EQ(result.exit_code, 0) << HideTokens(result.err);
  EXPECT_THAT(last, HasSubstr("\"done\""));
  // The wrong paste was refused and asked again, never echoed.
  EXPECT_THAT(result.err, HasSubstr("paste it again"));
  EXPECT_EQ(result.err.find(redirect), std::string::npos)
      << "the pasted address (it holds the code) was echoed";
  ExpectServedAndAccepted("demo");
}

// Two accounts on one server: each login is kept under its own account, and
// logging one out leaves the other.
TEST_F(OAuth2EndToEndTest, TwoAccountsOnOneServerCoexist) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(
      OAuthToml("work", "client_id = \"mcpcred-native\"\naccount = \"work\"") +
      OAuthToml("home", "client_id = \"mcpcred-native\"\naccount = \"home\""));
  ASSERT_NE(StartOAuthAgent(), nullptr);

  LoginRun work = Login("work", {}, Browser({"--login", "alice"}));
  ASSERT_EQ(work.result.exit_code, 0) << ShowLogin(work);
  LoginRun home = Login("home", {}, Browser({"--login", "bob"}));
  ASSERT_EQ(home.result.exit_code, 0) << ShowLogin(home);
  const std::string work_token = TokenOrFail("work");
  const std::string home_token = TokenOrFail("home");
  EXPECT_NE(work_token, home_token);
  EXPECT_EQ(ResourceStatus(work_token), 200);
  EXPECT_EQ(ResourceStatus(home_token), 200);

  // A restart reads both back from the store, each under its account.
  CommandResult list = Cli({"list", "--json"});
  EXPECT_EQ(ListEntry(list, "work").value("state", ""), "ready") << list.out;
  ASSERT_EQ(Cli({"logout", "home"}).exit_code, 0);
  EXPECT_NE(Token("home").exit_code, 0);
  EXPECT_EQ(ResourceStatus(TokenOrFail("work")), 200)
      << "logging out one account took the other with it";
}

// A registered client keeps its loopback port: a second login uses the same
// redirect URI (servers that match it exactly keep working) and registers
// nothing new.
TEST_F(OAuth2EndToEndTest, ARegisteredClientKeepsItsRedirectPort) {
  ASSERT_NE(StartPeers(), nullptr);
  WriteOAuthConfig(OAuthToml("demo"));
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  // Logging in again (a logout forgets the registration with the login).
  ASSERT_TRUE(LoginOk("demo"));

  nlohmann::json stats = AsStats();
  EXPECT_EQ(stats.value("registrations", -1), 1) << stats.dump();
  ASSERT_EQ(stats["authorization_log"].size(), 2u) << stats.dump();
  const std::string first =
      stats["authorization_log"][0].value("redirect_uri", "");
  EXPECT_TRUE(absl::StartsWith(first, "http://127.0.0.1:")) << first;
  EXPECT_EQ(stats["authorization_log"][1].value("redirect_uri", ""), first);
}

}  // namespace
}  // namespace mcpcred::testing

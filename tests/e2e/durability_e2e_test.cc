// Durability of OAuth logins (issue 4) with the encrypted file store,
// against the real authorization server: a login survives an agent restart
// with no new login and no needless refresh, and a kill -9 at random points
// during repeated refresh-token rotations loses no login.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/oauth_fixture.h"

namespace mcpcred::testing {
namespace {

constexpr absl::Duration kInFlight = absl::Milliseconds(250);

class DurabilityTest : public OAuthTest {
 protected:
  // How long before `killed_at` the server finished the rotation that spent
  // `token` (a token hash from refresh_reuse_attempts); nullopt when the log
  // holds no such rotation.
  static std::optional<absl::Duration> RotatedBefore(
      const nlohmann::json& stats, const std::string& token,
      absl::Time killed_at) {
    if (!stats.contains("token_log")) return std::nullopt;
    for (const nlohmann::json& entry : stats["token_log"]) {
      if (entry.value("presented", "") != token) continue;
      if (entry.value("status", 0) != 200) continue;
      absl::Time done;
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, entry.value("done_t", ""), &done,
                           &error)) {
        continue;
      }
      return killed_at - done;
    }
    return std::nullopt;
  }

  // Kills the agent with SIGKILL and waits until it is gone.
  void KillHard(AgentProcess* agent) {
    ASSERT_TRUE(agent->Signal(SIGKILL).ok());
    absl::StatusOr<int> exit = agent->WaitExit();
    EXPECT_FALSE(exit.ok()) << "the agent exited by itself: " << *exit;
  }

  // Every file below the store's directory.
  std::vector<std::string> StoreFiles() const {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             base_dir() + "/state/mcpcred", ec)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    return files;
  }
};

TEST_F(DurabilityTest, RestartServesTheStoredLoginWithoutARefresh) {
  ASSERT_NE(StartPeers(), nullptr);  // access tokens live an hour
  WriteOAuthConfig(OAuthToml("demo"), "file");
  AgentProcess* agent = StartOAuthAgent();
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  const std::string token = TokenOrFail("demo");
  ASSERT_FALSE(token.empty());
  const nlohmann::json before = AsStats();

  // A clean stop, then a crash: each time the same login is served, with
  // no login and no request to the token endpoint.
  absl::StatusOr<int> stopped = agent->Stop();
  ASSERT_TRUE(stopped.ok() && *stopped == 0);
  agent = StartOAuthAgent();
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(TokenOrFail("demo"), token) << "not the stored access token";
  KillHard(agent);
  agent = StartOAuthAgent();
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(TokenOrFail("demo"), token) << "not the stored access token";
  EXPECT_EQ(ResourceStatus(token), 200);

  const nlohmann::json after = AsStats();
  EXPECT_EQ(RefreshRequests(after), RefreshRequests(before))
      << "a needless refresh: " << after["token_log"].dump();
  EXPECT_EQ(after["token_requests"].dump(), before["token_requests"].dump());
  EXPECT_EQ(after.value("authorization_requests", -1),
            before.value("authorization_requests", -2))
      << "a new login";
  EXPECT_EQ(after.value("registrations", -1), before.value("registrations", -2))
      << "registered again: the client was not kept";

  // The store is on disk, and the token is not in it in clear.
  std::vector<std::string> files = StoreFiles();
  EXPECT_FALSE(files.empty()) << "no file store under $XDG_STATE_HOME";
  for (const std::string& file : files) {
    EXPECT_FALSE(absl::StrContains(ReadFileOrEmpty(file), token))
        << "the access token is in clear in " << file;
  }
  ExpectStaticServed();
}

// A stored access token that is about to expire is not served after a
// restart: one refresh with the stored refresh token, no login.
TEST_F(DurabilityTest, RestartWithAnExpiringTokenRefreshesOnceWithoutALogin) {
  ASSERT_NE(StartPeers({"--access-ttl", "4"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"), "file");
  AgentProcess* agent = StartOAuthAgent();
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  const std::string token = TokenOrFail("demo");
  absl::StatusOr<int> stopped = agent->Stop();
  ASSERT_TRUE(stopped.ok() && *stopped == 0);
  const int refreshes = RefreshGrants(AsStats());

  ASSERT_NE(StartOAuthAgent(), nullptr);
  const std::string fresh = TokenOrFail("demo");
  EXPECT_NE(fresh, token);
  EXPECT_EQ(ResourceStatus(fresh), 200);
  nlohmann::json stats = AsStats();
  EXPECT_EQ(RefreshGrants(stats), refreshes + 1) << stats["token_log"].dump();
  EXPECT_EQ(ReuseAttempts(stats), 0);
}

// The store cannot be written when a rotation comes back (a full disk, a
// broken file system): the rotated refresh token is the only live one, so
// losing it loses the login at the next refresh (oidc-provider revokes the
// grant when the spent one is sent again). Once the store works again the
// agent must still hold a working login, having sent no spent token.
//
// DISABLED: fails today. When the store write fails, the provider returns
// UNAVAILABLE but keeps the spent refresh token in memory, so the broker's
// retry a second later sends it again (a reuse: oidc-provider revokes the
// grant and the login is lost). Enable once the provider keeps the rotated
// refresh token (and persists it before its next use). Run it with
// --gtest_also_run_disabled_tests.
TEST_F(DurabilityTest, StoreWriteFailureDuringRotationKeepsTheLogin) {
  ASSERT_NE(StartPeers({"--access-ttl", "4"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"), "file");
  ASSERT_NE(StartOAuthAgent(), nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  ASSERT_FALSE(TokenOrFail("demo").empty());
  const int refreshes = RefreshGrants(AsStats());

  // A non-empty directory where the store file was: every write fails (also
  // for root, whom file modes do not stop), and the old file is kept aside.
  const std::string file = base_dir() + "/state/mcpcred/secrets.db";
  ASSERT_EQ(std::rename(file.c_str(), (file + ".aside").c_str()), 0);
  std::filesystem::create_directory(file);
  WriteFileOrDie(file + "/blocker", "x");
  // A rotation the agent cannot persist, then its retries.
  ASSERT_TRUE(PollUntil([&] { return RefreshGrants(AsStats()) > refreshes; }));
  absl::SleepFor(absl::Seconds(4));
  std::filesystem::remove_all(file);
  ASSERT_EQ(std::rename((file + ".aside").c_str(), file.c_str()), 0);

  CommandResult token;
  bool served = PollUntil(
      [&] {
        token = Token("demo");
        return token.exit_code == 0;
      },
      absl::Seconds(30), absl::Milliseconds(500));
  EXPECT_TRUE(served) << "the login was lost: " << ShowResult(token);
  nlohmann::json stats = AsStats();
  EXPECT_EQ(ReuseAttempts(stats), 0)
      << "the spent refresh token was sent again: "
      << stats["token_log"].dump();
  std::printf(
      "[figure] store write failure during rotation: %s; %d reuse attempts, "
      "%d provider reuse detections\n",
      served ? "login kept" : "login lost", ReuseAttempts(stats),
      stats.value("provider_reuse_detections", 0));
  ExpectStaticServed();
}

// kill -9 at a random moment while the agent rotates refresh tokens (2 s
// access tokens: a rotation about every second), restart, and require a
// working token without a login. MCPCRED_E2E_KILL_TRIES sets the count.
//
// One window no client can close: the server has rotated the refresh token
// and the kill lands before its answer is on disk (in flight, or being
// written). The old token is then spent and the new one never arrived, so
// the restarted agent's refresh is a reuse. Such a loss counts as one only
// when the rotation had finished at the server more than kInFlight before
// the kill: time enough for the agent to have stored it (it writes the
// store before it uses the token; a write takes milliseconds).
TEST_F(DurabilityTest, KillNineDuringRefreshRotationsLosesNoLogin) {
  int tries = 20;
  if (const char* env = std::getenv("MCPCRED_E2E_KILL_TRIES")) {
    ASSERT_TRUE(absl::SimpleAtoi(env, &tries)) << env;
  }
  ASSERT_NE(StartPeers({"--access-ttl", "2"}), nullptr);
  WriteOAuthConfig(OAuthToml("demo"), "file");
  AgentProcess* agent = StartOAuthAgent();
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(LoginOk("demo"));
  ASSERT_FALSE(TokenOrFail("demo").empty());

  const unsigned seed = std::random_device()();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, 3000);
  int losses = 0;
  int in_flight = 0;         // losses in the window no client can close
  int in_flight_reuses = 0;  // the reuse attempts those made
  int done = 0;
  std::vector<std::string> lost;
  for (int i = 0; i < tries && !HasFatalFailure(); ++i) {
    const int delay = delay_ms(random);
    absl::SleepFor(absl::Milliseconds(delay));
    const absl::Time killed_at = absl::Now();
    KillHard(agent);
    const nlohmann::json at_kill = AsStats();
    agent = StartOAuthAgent();
    ASSERT_NE(agent, nullptr) << "try " << i;
    ++done;
    CommandResult token = Token("demo");
    long status = 0;
    if (token.exit_code == 0) {
      status = ResourceStatus(
          std::string(absl::StripTrailingAsciiWhitespace(token.out)));
    }
    if (token.exit_code == 0 && status == 200) continue;

    // Was every token the restarted agent reused rotated while the kill
    // landed (the window above)?
    const nlohmann::json now = AsStats();
    const int reuses_before = ReuseAttempts(at_kill);
    bool all_in_flight = ReuseAttempts(now) > reuses_before;
    std::string rotated;
    for (int r = reuses_before; r < ReuseAttempts(now); ++r) {
      const std::string spent =
          now["refresh_reuse_attempts"][r].value("token", "");
      std::optional<absl::Duration> before =
          RotatedBefore(now, spent, killed_at);
      absl::StrAppend(&rotated, " rotated ",
                      before ? absl::FormatDuration(*before) : "(unknown)",
                      " before the kill;");
      if (!before || *before >= kInFlight) all_in_flight = false;
    }
    if (all_in_flight) {
      ++in_flight;
      in_flight_reuses += ReuseAttempts(now) - reuses_before;
    } else {
      ++losses;
    }
    lost.push_back(absl::StrCat(
        all_in_flight ? "in flight: " : "LOST: ", "try ", i, " (kill after ",
        delay, " ms):", rotated, " ", token.Outcome(), " resource ", status,
        ": ", HideTokens(token.err), "  reuse attempts ",
        ReuseAttempts(at_kill), " -> ", ReuseAttempts(now),
        ", provider reuse detections ",
        at_kill.value("provider_reuse_detections", 0), " -> ",
        now.value("provider_reuse_detections", 0)));
    // Log in again to go on counting.
    ASSERT_TRUE(LoginOk("demo"));
  }
  const nlohmann::json stats = AsStats();
  std::printf(
      "[figure] kill -9 during refresh rotations: %d tries, %d losses, "
      "%d with the rotation in flight (seed %u); %d refresh grants, %d "
      "refresh requests, %d reuse attempts, %d provider reuse detections\n",
      done, losses, in_flight, seed, RefreshGrants(stats),
      RefreshRequests(stats), ReuseAttempts(stats),
      stats.value("provider_reuse_detections", 0));
  for (const std::string& line : lost) std::printf("  %s\n", line.c_str());
  EXPECT_EQ(losses, 0) << "logins lost to kill -9";
  EXPECT_EQ(ReuseAttempts(stats) - in_flight_reuses, 0)
      << stats["refresh_reuse_attempts"].dump();
  EXPECT_LE(in_flight, done / 4)
      << "too many kills excused as in flight: the window is not narrow";
  EXPECT_GE(RefreshGrants(stats), done)
      << "too few rotations for the kills to land among them";
  ExpectStaticServed();
}

}  // namespace
}  // namespace mcpcred::testing

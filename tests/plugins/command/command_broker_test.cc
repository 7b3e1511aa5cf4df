// The command provider behind the real broker: the token is cached, so the
// command runs once for many requests, and runs again ahead of expiry.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "agent/broker/broker.h"
#include "tests/plugins/command/command_test_util.h"

namespace mcpcred::command_test {
namespace {

class CommandBrokerTest : public CommandProviderTest {
 protected:
  // A credential whose command appends a line to `runs_` on every run and
  // prints "tok-N" (N = runs so far) with the given lifetime.
  void AddCredential(int expires_in_seconds) {
    runs_ = dir_ + "/runs";
    std::string script = WriteScript(
        "get-token",
        absl::StrCat("echo run >> ", runs_, "\n", "n=$(wc -l < ", runs_, ")\n",
                     "echo \"{\\\"access_token\\\":\\\"tok-$n\\\",",
                     "\\\"expires_in\\\":", expires_in_seconds, "}\""));
    config::CredentialConfig config;
    config.name = "vault-db";
    config.provider = "command";
    config.env.emplace("DB_TOKEN", *config::Template::Parse("{access_token}"));
    config.headers.emplace("Authorization", *config::Template::Parse(
                                                "{token_type} {access_token}"));
    auto instance = Create({{"command", {script}}});
    ASSERT_TRUE(instance.ok()) << instance.status();
    broker_.SetCredentials({std::make_shared<CredentialSlot>(
        config, std::move(*instance), absl::OkStatus(), false)});
  }

  CredentialResult GetNow() {
    absl::Notification done;
    CredentialResult out = absl::UnknownError("no answer");
    broker_.Get("vault-db", absl::ZeroDuration(), [&](CredentialResult r) {
      out = std::move(r);
      done.Notify();
    });
    done.WaitForNotification();
    return out;
  }

  int Runs() const {
    std::string text = ReadWholeFile(runs_);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }

  std::string runs_;
  ThreadPool pool_{2};
  Broker broker_{&pool_, &clock_};
};

TEST_F(CommandBrokerTest, ManyRequestsOneRun) {
  AddCredential(3600);
  for (int i = 0; i < 5; ++i) {
    auto result = GetNow();
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ((*result)->env.at("DB_TOKEN"), "tok-1");
    EXPECT_EQ((*result)->headers.at("Authorization"), "Bearer tok-1");
    EXPECT_EQ((*result)->expires_at, clock_.Now() + absl::Hours(1));
  }
  EXPECT_EQ(Runs(), 1);
}

TEST_F(CommandBrokerTest, ExpiredTokenRunsTheCommandAgain) {
  AddCredential(60);
  ASSERT_EQ((*GetNow())->token, "tok-1");
  clock_.Advance(absl::Seconds(61));
  auto result = GetNow();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ((*result)->token, "tok-2");
  EXPECT_EQ(Runs(), 2);
}

TEST_F(CommandBrokerTest, RefreshedAheadOfExpiry) {
  AddCredential(3600);
  ASSERT_EQ((*GetNow())->token, "tok-1");
  clock_.Advance(absl::Minutes(59));  // past the refresh time, not expired
  broker_.RunDueRefreshes();
  // The refresh runs on the pool; until it lands the old token is served.
  std::string token;
  for (int i = 0; i < 1000 && token != "tok-2"; ++i) {
    auto result = GetNow();
    ASSERT_TRUE(result.ok()) << result.status();
    token = (*result)->token.ToUnwipedString();
    if (token != "tok-2") usleep(10'000);
  }
  EXPECT_EQ(token, "tok-2");
  EXPECT_EQ(Runs(), 2);
}

}  // namespace
}  // namespace mcpcred::command_test

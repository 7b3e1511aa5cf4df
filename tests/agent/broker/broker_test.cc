#include "agent/broker/broker.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "agent/broker/lifetime_loop.h"
#include "agent/plugin/plugin_library.h"
#include "agent/plugin/plugin_status.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcred/common/stream_redactor.h"
#include "tests/testing/fake_clock.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;

class BrokerTest : public ::testing::Test {
 public:
  // The broker's contract: its pool ends before it does (a fetch still
  // queued or running calls back into it).
  ~BrokerTest() override { pool_.Stop(absl::InfiniteFuture()); }

 protected:
  void SetUp() override {
    auto lib = PluginLibrary::Load(TEST_PLUGIN_DIR "/counter.so");
    ASSERT_TRUE(lib.ok()) << lib.status();
    counter_ = std::move(*lib);
  }

  // A "counter" credential with env TOKEN={access_token} and an Authorization
  // header.
  std::shared_ptr<CredentialSlot> Slot(
      const std::string& name, nlohmann::json provider_config,
      std::optional<absl::Duration> lifetime = std::nullopt) {
    config::CredentialConfig config;
    config.name = name;
    config.lifetime = lifetime;
    config.provider = "counter";
    config.env.emplace("TOKEN", *config::Template::Parse("{access_token}"));
    config.headers.emplace("Authorization",
                           *config::Template::Parse("Bearer {access_token}"));
    if (provider_config.is_null()) provider_config = nlohmann::json::object();
    config.provider_config = provider_config;
    std::string key;
    auto instance = ProviderInstance::Create(counter_, name, provider_config,
                                             &store_, &clock_, &key);
    EXPECT_TRUE(instance.ok()) << instance.status();
    return std::make_shared<CredentialSlot>(config, std::move(*instance),
                                            absl::OkStatus(), false);
  }

  // Gets synchronously (waits for a fetch if one is needed).
  CredentialResult GetNow(const std::string& name,
                          absl::Duration min_ttl = absl::ZeroDuration()) {
    absl::Notification done;
    CredentialResult out = absl::UnknownError("no answer");
    broker_.Get(name, min_ttl, [&](CredentialResult r) {
      out = std::move(r);
      done.Notify();
    });
    done.WaitForNotification();
    return out;
  }

  std::string WaitForNewToken(const std::string& name, const std::string& old) {
    for (int i = 0; i < 500; ++i) {  // a safety bound, not a timing check
      auto result = GetNow(name);
      if (result.ok() && (*result)->token != old)
        return (*result)->token.ToUnwipedString();
      absl::SleepFor(absl::Milliseconds(10));
    }
    return old;
  }

  std::shared_ptr<const PluginLibrary> counter_;
  MemoryStore store_;
  FakeClock clock_;
  ThreadPool pool_{4};
  Broker broker_{&pool_, &clock_};
};

TEST_F(BrokerTest, UnknownCredentialIsNotFound) {
  auto result = GetNow("missing");
  EXPECT_TRUE(absl::IsNotFound(result.status()));
  EXPECT_THAT(result.status().message(),
              HasSubstr("no credential named \"missing\""));
}

TEST_F(BrokerTest, RendersEnvAndHeadersFromTheFetchedToken) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 0}})});
  auto result = GetNow("api");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ((*result)->token, "counter-api-1");
  EXPECT_EQ((*result)->env.at("TOKEN"), "counter-api-1");
  EXPECT_EQ((*result)->headers.at("Authorization"), "Bearer counter-api-1");
  EXPECT_THAT((*result)->secret_env_keys, ::testing::ElementsAre("TOKEN"));
  EXPECT_FALSE((*result)->expires_at.has_value());
}

TEST_F(BrokerTest, CachedCredentialIsServedWithoutAnotherFetch) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 60'000}})});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  clock_.Advance(absl::Seconds(59));
  EXPECT_EQ((*GetNow("api"))->token, "counter-api-1");
}

TEST_F(BrokerTest, ExpiredCredentialIsFetchedAgain) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 60'000}})});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ((*GetNow("api"))->token, "counter-api-2");
}

TEST_F(BrokerTest, MinTtlLongerThanRemainingLifetimeForcesAFetch) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 60'000}})});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ((*GetNow("api", absl::Seconds(20)))->token, "counter-api-1");
  EXPECT_EQ((*GetNow("api", absl::Seconds(40)))->token, "counter-api-2");
}

TEST_F(BrokerTest, ThousandConcurrentColdRequestsShareOneFetch) {
  broker_.SetCredentials(
      {Slot("api", {{"ttl_ms", 60'000}, {"delay_ms", 200}})});
  constexpr int kRequests = 1000;
  std::atomic<int> answered{0};
  std::atomic<int> wrong{0};
  absl::Notification all_done;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRequests / 8; ++i) {
        broker_.Get("api", absl::ZeroDuration(), [&](CredentialResult r) {
          if (!r.ok() || (*r)->token != "counter-api-1") ++wrong;
          if (++answered == kRequests) all_done.Notify();
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  all_done.WaitForNotification();
  EXPECT_EQ(wrong.load(), 0);
  // The provider counted exactly one fetch: the next one is number 2.
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ((*GetNow("api"))->token, "counter-api-2");
}

TEST_F(BrokerTest, ARequestWhoseClientGaveUpIsAnsweredCancelledAtOnce) {
  broker_.SetCredentials({Slot("api", {{"delay_ms", 1000}})});
  absl::Notification fetched;
  CredentialResult first = absl::UnknownError("no answer");
  broker_.Get("api", absl::ZeroDuration(), [&](CredentialResult r) {
    first = std::move(r);
    fetched.Notify();
  });
  int answers = 0;
  CredentialResult gave_up = absl::UnknownError("no answer");
  PendingRequest pending;
  broker_.Get(
      "api", absl::ZeroDuration(),
      [&](CredentialResult r) {
        gave_up = std::move(r);
        ++answers;
      },
      &pending);
  ASSERT_FALSE(fetched.HasBeenNotified()) << "the fetch was not slow enough";

  broker_.Cancel(pending);
  EXPECT_EQ(answers, 1);
  EXPECT_TRUE(absl::IsCancelled(gave_up.status())) << gave_up.status();

  fetched.WaitForNotification();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(answers, 1) << "answered again when the fetch ended";
  broker_.Cancel(pending);
  EXPECT_EQ(answers, 1);
}

TEST_F(BrokerTest, StillValidTokenIsServedWhileUpstreamIsDown) {
  broker_.SetCredentials(
      {Slot("api", {{"ttl_ms", 60'000}, {"fail_after", 1}})});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  clock_.Advance(absl::Seconds(50));
  // Needs 20 s more than is left: the refresh fails, the valid token serves.
  auto result = GetNow("api", absl::Seconds(20));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ((*result)->token, "counter-api-1");
  // Once it has expired there is nothing valid to serve.
  clock_.Advance(absl::Seconds(11));
  auto expired = GetNow("api");
  EXPECT_TRUE(absl::IsUnavailable(expired.status()));
  EXPECT_THAT(expired.status().message(), HasSubstr("upstream refused"));
  auto snapshot = broker_.Snapshot();
  ASSERT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(snapshot[0].state, CredentialState::kError);
  EXPECT_THAT(snapshot[0].last_error, HasSubstr("upstream refused"));
}

TEST_F(BrokerTest, LoginRequiredDropsTheCacheAndShowsInTheSnapshot) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 60'000},
                                       {"fail_after", 1},
                                       {"fail_with", "login_required"}})});
  ASSERT_TRUE(GetNow("api").ok());
  auto result = GetNow("api", absl::Minutes(5));
  EXPECT_TRUE(absl::IsFailedPrecondition(result.status()));
  EXPECT_TRUE(IsLoginRequired(result.status()));
  auto snapshot = broker_.Snapshot();
  EXPECT_EQ(snapshot[0].state, CredentialState::kLoginRequired);
  EXPECT_FALSE(snapshot[0].cached);
}

TEST_F(BrokerTest, CredentialThatFailedToLoadAnswersWithItsReason) {
  config::CredentialConfig config;
  config.name = "broken";
  config.provider = "counter";
  broker_.SetCredentials(
      {Slot("api", {}),
       std::make_shared<CredentialSlot>(
           config, nullptr,
           absl::InvalidArgumentError("c.toml:3: credential \"broken\": bad"),
           false)});
  auto result = GetNow("broken");
  EXPECT_TRUE(absl::IsInvalidArgument(result.status()));
  EXPECT_THAT(result.status().message(), HasSubstr("c.toml:3"));
  EXPECT_TRUE(GetNow("api").ok());  // the other one still serves
  auto snapshot = broker_.Snapshot();
  ASSERT_EQ(snapshot.size(), 2u);
  EXPECT_EQ(snapshot[0].name, "api");
  EXPECT_EQ(snapshot[0].state, CredentialState::kReady);
  EXPECT_EQ(snapshot[1].state, CredentialState::kError);
}

TEST_F(BrokerTest, RedactionAndSecretKeysCoverHandedOutCredentials) {
  broker_.SetCredentials({Slot("a", {}), Slot("b", {})});
  EXPECT_EQ(broker_.Redaction()->patterns(), 0u);
  ASSERT_TRUE(GetNow("a").ok());
  EXPECT_EQ(Redact("x counter-a-1 y", *broker_.Redaction()).text,
            "x [REDACTED:a] y");
  SecretKeyNames keys = broker_.SecretKeys();
  EXPECT_THAT(keys.env_keys, ::testing::ElementsAre("TOKEN"));
  EXPECT_THAT(keys.header_names, ::testing::ElementsAre("Authorization"));
}

TEST_F(BrokerTest, AValueStaysRedactedAfterAReloadUntilItExpires) {
  broker_.SetCredentials({Slot("a", {{"ttl_ms", 60000}})});
  ASSERT_TRUE(GetNow("a").ok());
  // A reload forgets the slot; the value handed out is still in a host.
  broker_.SetCredentials({Slot("b", {})});
  EXPECT_EQ(Redact("counter-a-1", *broker_.Redaction()).text, "[REDACTED:a]");
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ(Redact("counter-a-1", *broker_.Redaction()).text, "counter-a-1");
}

TEST_F(BrokerTest, ABrokenNewDefinitionLeavesTheOldOneServing) {
  broker_.SetCredentials({Slot("api", {})});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  config::CredentialConfig broken;
  broken.name = "api";
  broken.provider = "counter";
  std::vector<std::string> kept;
  broker_.SetCredentials(
      {std::make_shared<CredentialSlot>(
          broken, nullptr, absl::InvalidArgumentError("c.toml:9: bad"), false)},
      &kept);
  EXPECT_THAT(kept, ::testing::ElementsAre("api"));
  EXPECT_EQ((*GetNow("api"))->token, "counter-api-1");  // same slot, cached
}

TEST_F(BrokerTest, PrefetchedSlotsAreFetchedWhenInstalled) {
  config::CredentialConfig config;
  config.name = "local";
  config.provider = "counter";
  std::string key;
  auto instance = ProviderInstance::Create(
      counter_, "local", nlohmann::json::object(), &store_, &clock_, &key);
  ASSERT_TRUE(instance.ok());
  broker_.SetCredentials({std::make_shared<CredentialSlot>(
      config, std::move(*instance), absl::OkStatus(), false,
      /*prefetch=*/true)});
  bool held = false;
  for (int i = 0; i < 500 && !held; ++i) {  // a safety bound
    held = broker_.Redaction()->patterns() > 0;
    if (!held) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(held) << "redaction knows the value before any request";
  EXPECT_EQ((*GetNow("local"))->token, "counter-local-1");  // one fetch
}

TEST_F(BrokerTest, ReloadReplacesTheSetAndItsCache) {
  broker_.SetCredentials({Slot("api", {})});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  broker_.SetCredentials({Slot("api", {}), Slot("new", {})});
  EXPECT_EQ((*GetNow("api"))->token, "counter-api-1");  // fresh instance
  EXPECT_TRUE(GetNow("new").ok());
  broker_.SetCredentials({});
  EXPECT_TRUE(absl::IsNotFound(GetNow("api").status()));
}

TEST_F(BrokerTest, ProactiveRefreshReplacesTheTokenBeforeItExpires) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 600'000}})});
  const absl::Time fetched = clock_.Now();
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  // Half-life at the latest, minus at most 10% jitter.
  EXPECT_LE(broker_.NextRefreshTime(), fetched + absl::Seconds(300));
  EXPECT_GE(broker_.NextRefreshTime(), fetched + absl::Seconds(240));
  broker_.RunDueRefreshes();
  EXPECT_EQ(broker_.refreshes_started(), 0u);  // not due yet
  clock_.Advance(absl::Seconds(301));
  broker_.RunDueRefreshes();
  EXPECT_EQ(broker_.refreshes_started(), 1u);
  EXPECT_EQ(WaitForNewToken("api", "counter-api-1"), "counter-api-2");
  // The new token queued its own refresh.
  EXPECT_GT(broker_.NextRefreshTime(), clock_.Now());
}

TEST_F(BrokerTest, FailedRefreshIsRetriedWithBackoffWhileTheTokenServes) {
  broker_.SetCredentials(
      {Slot("api", {{"ttl_ms", 600'000}, {"fail_after", 1}})});
  ASSERT_TRUE(GetNow("api").ok());
  clock_.Advance(absl::Seconds(301));
  broker_.RunDueRefreshes();
  // The refresh fails; a retry is queued 0.5-1 s out (first backoff step).
  absl::Time retry = absl::InfiniteFuture();
  for (int i = 0; i < 500 && retry > clock_.Now() + absl::Minutes(1); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    retry = broker_.NextRefreshTime();
  }
  EXPECT_GE(retry, clock_.Now() + absl::Milliseconds(500));
  EXPECT_LE(retry, clock_.Now() + absl::Seconds(1));
  EXPECT_EQ((*GetNow("api"))->token, "counter-api-1");  // still served
  EXPECT_THAT(broker_.Snapshot()[0].last_error, HasSubstr("upstream refused"));
  EXPECT_EQ(broker_.Snapshot()[0].state, CredentialState::kReady);
}

TEST_F(BrokerTest, RefreshOfAReplacedSlotIsDropped) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 600'000}})});
  ASSERT_TRUE(GetNow("api").ok());
  // A reload that changes the definition replaces the slot.
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 500'000}})});
  clock_.Advance(absl::Seconds(301));
  broker_.RunDueRefreshes();
  EXPECT_EQ(broker_.refreshes_started(), 0u);
}

TEST_F(BrokerTest, AReloadOfAnUnchangedDefinitionKeepsSlotAndToken) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 600'000}})});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 600'000}})});  // reload
  // The same instance and its cache: no second fetch, no second instance.
  EXPECT_EQ((*GetNow("api"))->token, "counter-api-1");
  clock_.Advance(absl::Seconds(301));
  broker_.RunDueRefreshes();
  EXPECT_EQ(broker_.refreshes_started(), 1u);
  EXPECT_EQ(WaitForNewToken("api", "counter-api-1"), "counter-api-2");
}

TEST_F(BrokerTest, OutlivedNamesCredentialsWhoseLifetimeHasPassed) {
  broker_.SetCredentials({Slot("short", {{"ttl_ms", 0}}, absl::Hours(1)),
                          Slot("long", {{"ttl_ms", 0}}, absl::Hours(8)),
                          Slot("none", {{"ttl_ms", 0}})});
  const absl::Time start = clock_.Now();
  absl::Time next;
  // Nothing obtained yet: nothing is due before the shortest lifetime.
  EXPECT_TRUE(broker_.Outlived(&next).empty());
  EXPECT_EQ(next, start + absl::Hours(1));

  ASSERT_TRUE(GetNow("short").ok());
  ASSERT_TRUE(GetNow("long").ok());
  ASSERT_TRUE(GetNow("none").ok());
  clock_.Advance(absl::Minutes(59));
  EXPECT_TRUE(broker_.Outlived(&next).empty());
  EXPECT_EQ(next, start + absl::Hours(1));

  clock_.Advance(absl::Minutes(1));
  EXPECT_THAT(broker_.Outlived(&next), ::testing::ElementsAre("short"));
  clock_.Advance(absl::Hours(7));
  EXPECT_THAT(broker_.Outlived(&next), ::testing::ElementsAre("long", "short"));
}

TEST_F(BrokerTest, OutlivedCountsFromTheFirstFetchNotFromRefreshes) {
  broker_.SetCredentials(
      {Slot("api", {{"ttl_ms", 60'000}}, absl::Minutes(10))});
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-1");
  clock_.Advance(absl::Minutes(9));
  ASSERT_EQ((*GetNow("api"))->token, "counter-api-2");  // a new token
  clock_.Advance(absl::Minutes(1));
  absl::Time next;
  EXPECT_THAT(broker_.Outlived(&next), ::testing::ElementsAre("api"));
}

TEST_F(BrokerTest, NoLifetimeNoWakeUps) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 0}})});
  ASSERT_TRUE(GetNow("api").ok());
  clock_.Advance(absl::Hours(24 * 365));
  absl::Time next;
  EXPECT_TRUE(broker_.Outlived(&next).empty());
  EXPECT_EQ(next, absl::InfiniteFuture());
}

TEST_F(BrokerTest, LifetimeLoopHandsOverOutlivedCredentials) {
  broker_.SetCredentials({Slot("api", {{"ttl_ms", 0}}, absl::Hours(1))});
  ASSERT_TRUE(GetNow("api").ok());
  absl::Notification forgotten;
  std::vector<std::string> names;
  LifetimeLoop loop(&broker_, [&](const std::vector<std::string>& outlived) {
    if (forgotten.HasBeenNotified()) return;
    names = outlived;
    forgotten.Notify();
  });
  // The loop sleeps for an hour of the fake clock; move it and wake it.
  clock_.Advance(absl::Hours(1));
  loop.Wake();
  forgotten.WaitForNotification();
  EXPECT_THAT(names, ::testing::ElementsAre("api"));
}

}  // namespace
}  // namespace mcpcred

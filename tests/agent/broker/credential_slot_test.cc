// The slot's epochs: a fetch that began before a login or a logout cannot
// undo it (found by reading the code: a refresh racing a logout served the
// logged-out credential again; a fetch racing a login cleared the new token).
#include "agent/broker/credential_slot.h"

#include "agent/plugin/plugin_status.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

config::CredentialConfig Config() {
  config::CredentialConfig config;
  config.name = "c";
  config.provider = "p";
  return config;
}

std::shared_ptr<const RenderedCredential> Value(const std::string& token) {
  auto value = std::make_shared<RenderedCredential>();
  value->name = "c";
  value->token.assign(token);
  return value;
}

class CredentialSlotTest : public ::testing::Test {
 protected:
  CredentialSlotTest()
      : slot_(Config(), nullptr, absl::OkStatus(), /*has_login=*/true) {}

  // Starts a fetch with one waiter; returns what the waiter was answered.
  std::shared_ptr<CredentialResult> StartFetch(
      absl::Duration min_ttl = absl::ZeroDuration()) {
    auto answered =
        std::make_shared<CredentialResult>(absl::UnknownError("not answered"));
    CredentialCallback done = [answered](CredentialResult r) {
      *answered = std::move(r);
    };
    std::shared_ptr<const RenderedCredential> hit;
    absl::Status refused;
    EXPECT_EQ(
        slot_.LookupOrQueue(now_, min_ttl, deadline_, done, &hit, &refused),
        CredentialSlot::Lookup::kStartFetch);
    return answered;
  }
  void Complete(CredentialResult result, bool* stale) {
    CredentialResult answer = absl::UnknownError("unset");
    for (auto& waiter :
         slot_.Complete(now_, std::move(result), &answer, stale)) {
      waiter(answer);
    }
  }

  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  absl::Duration deadline_ = absl::Seconds(30);
  CredentialSlot slot_;
};

TEST_F(CredentialSlotTest, ARefreshThatRacedALogoutIsDropped) {
  auto old = std::make_shared<RenderedCredential>(*Value("old"));
  old->expires_at = now_ + absl::Seconds(10);
  slot_.Install(old);
  // A host that needs a minute of validity makes the slot refresh.
  auto answered = StartFetch(absl::Minutes(1));
  slot_.Forget(LoginRequiredError("c", "logged out"));
  bool stale = false;
  Complete(Value("rotated"), &stale);
  EXPECT_TRUE(stale);
  EXPECT_EQ(slot_.cached(), nullptr) << "the logged-out credential came back";
  EXPECT_TRUE(IsLoginRequired(answered->status())) << answered->status();
}

TEST_F(CredentialSlotTest, AFetchThatRacedALoginKeepsTheNewToken) {
  auto answered = StartFetch();
  slot_.Install(Value("from-login"));
  bool stale = false;
  Complete(LoginRequiredError("c", "no refresh token"), &stale);
  EXPECT_TRUE(stale);
  ASSERT_NE(slot_.cached(), nullptr) << "the login's token was cleared";
  EXPECT_EQ(slot_.cached()->token, "from-login");
  ASSERT_TRUE(answered->ok());
  EXPECT_EQ((**answered)->token, "from-login");
}

TEST_F(CredentialSlotTest, AHungFetchAnswersItsWaitersAndRefusesNewOnes) {
  auto answered = StartFetch();
  now_ += absl::Seconds(31);
  CredentialResult answer = absl::UnknownError("unset");
  auto waiters = slot_.ExpireHungFetch(now_, deadline_, &answer);
  ASSERT_EQ(waiters.size(), 1u);
  for (auto& waiter : waiters) waiter(answer);
  EXPECT_TRUE(absl::IsUnavailable(answered->status())) << answered->status();

  CredentialCallback late = [](CredentialResult) {};
  std::shared_ptr<const RenderedCredential> hit;
  absl::Status refused;
  EXPECT_EQ(slot_.LookupOrQueue(now_, absl::ZeroDuration(), deadline_, late,
                                &hit, &refused),
            CredentialSlot::Lookup::kRefused);
  EXPECT_TRUE(absl::IsUnavailable(refused));
  EXPECT_EQ(slot_.Snapshot(now_, deadline_).state, CredentialState::kError);
}

TEST_F(CredentialSlotTest, WaitersAreCapped) {
  StartFetch();
  absl::Status refused;
  for (size_t i = 1; i < CredentialSlot::kMaxWaiters; ++i) {
    CredentialCallback done = [](CredentialResult) {};
    std::shared_ptr<const RenderedCredential> hit;
    ASSERT_EQ(slot_.LookupOrQueue(now_, absl::ZeroDuration(), deadline_, done,
                                  &hit, &refused),
              CredentialSlot::Lookup::kQueued);
  }
  CredentialCallback one_more = [](CredentialResult) {};
  std::shared_ptr<const RenderedCredential> hit;
  EXPECT_EQ(slot_.LookupOrQueue(now_, absl::ZeroDuration(), deadline_, one_more,
                                &hit, &refused),
            CredentialSlot::Lookup::kRefused);
  EXPECT_TRUE(absl::IsResourceExhausted(refused));
}

// A client that gave up (cancelled, past its deadline, disconnected) must not
// hold its place in the queue until the fetch ends: with a hung provider, the
// cap would otherwise stay full of requests nobody waits for.
TEST_F(CredentialSlotTest, AWaiterWhoseClientGaveUpLeavesTheQueueAtOnce) {
  StartFetch();
  int answered = 0;
  std::vector<uint64_t> ids;
  absl::Status refused;
  std::shared_ptr<const RenderedCredential> hit;
  for (size_t i = 1; i < CredentialSlot::kMaxWaiters; ++i) {
    CredentialCallback done = [&answered](CredentialResult) { ++answered; };
    uint64_t id = 0;
    ASSERT_EQ(slot_.LookupOrQueue(now_, absl::ZeroDuration(), deadline_, done,
                                  &hit, &refused, &id),
              CredentialSlot::Lookup::kQueued);
    ids.push_back(id);
  }
  ASSERT_EQ(slot_.waiting(), CredentialSlot::kMaxWaiters);

  CredentialCallback gave_up = slot_.CancelWaiter(ids[7]);
  ASSERT_NE(gave_up, nullptr);
  EXPECT_EQ(slot_.waiting(), CredentialSlot::kMaxWaiters - 1);
  EXPECT_EQ(slot_.CancelWaiter(ids[7]), nullptr) << "taken back twice";
  CredentialCallback newcomer = [&answered](CredentialResult) { ++answered; };
  EXPECT_EQ(slot_.LookupOrQueue(now_, absl::ZeroDuration(), deadline_, newcomer,
                                &hit, &refused),
            CredentialSlot::Lookup::kQueued)
      << refused;

  bool stale = false;
  Complete(Value("v"), &stale);
  // Everyone still waiting is answered once; the one that gave up is not.
  EXPECT_EQ(answered, static_cast<int>(CredentialSlot::kMaxWaiters) - 1);
  EXPECT_EQ(slot_.waiting(), 0u);
  EXPECT_EQ(slot_.CancelWaiter(ids[0]), nullptr) << "answered, then taken";
}

}  // namespace
}  // namespace mcpcred

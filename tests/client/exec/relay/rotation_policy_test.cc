#include "relay/rotation_policy.h"

#include "gtest/gtest.h"

namespace mcpcred::exec::relay {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

HeldValue Value(uint64_t version, absl::Duration lifetime,
                absl::Time received = kT0) {
  return HeldValue{version, received + lifetime, received};
}

TEST(RotationPolicyTest, DueMinTtlBeforeExpiryButNotBeforeHalfLife) {
  EXPECT_EQ(DueTime(Value(1, absl::Hours(1)), absl::Seconds(60)),
            kT0 + absl::Minutes(59));
  // A 3 s token and a 60 s minimum: due at its half-life, not at once.
  EXPECT_EQ(DueTime(Value(1, absl::Seconds(3)), absl::Seconds(60)),
            kT0 + absl::Milliseconds(1500));
  EXPECT_EQ(
      DueTime(HeldValue{1, absl::InfiniteFuture(), kT0}, absl::Seconds(60)),
      absl::InfiniteFuture());
}

TEST(RotationPolicyTest, NothingDueWaitsForTheEarliestDueTime) {
  std::map<std::string, HeldValue> running = {
      {"a", Value(1, absl::Hours(1))}, {"b", Value(1, absl::Minutes(10))}};
  RotationDecision decision =
      DecideRotation(running, running, kT0, absl::Seconds(60));
  EXPECT_FALSE(decision.rotate);
  EXPECT_TRUE(decision.fetch.empty());
  EXPECT_EQ(decision.next, kT0 + absl::Minutes(9));
}

TEST(RotationPolicyTest, DueWithANewerValueRotates) {
  std::map<std::string, HeldValue> running = {
      {"a", Value(1, absl::Seconds(100))}};
  std::map<std::string, HeldValue> latest = {
      {"a", Value(2, absl::Seconds(100), kT0 + absl::Seconds(30))}};
  // A newer value before the old one is due: not yet.
  EXPECT_FALSE(DecideRotation(running, latest, kT0 + absl::Seconds(30),
                              absl::Seconds(60))
                   .rotate);
  RotationDecision due = DecideRotation(
      running, latest, kT0 + absl::Seconds(50), absl::Seconds(60));
  EXPECT_TRUE(due.rotate);
  EXPECT_TRUE(due.fetch.empty());
}

TEST(RotationPolicyTest, ShortLivedTokenIsReplacedAsSoonAsANewerArrives) {
  std::map<std::string, HeldValue> running = {
      {"a", Value(1, absl::Seconds(3))}};
  std::map<std::string, HeldValue> latest = {
      {"a", Value(2, absl::Seconds(3), kT0 + absl::Milliseconds(1200))}};
  EXPECT_TRUE(DecideRotation(running, latest, kT0 + absl::Milliseconds(1200),
                             absl::Seconds(60))
                  .rotate);
  // An older or equal value is no replacement: the agent is asked at the
  // half-life.
  RotationDecision decision = DecideRotation(
      running, running, kT0 + absl::Milliseconds(1200), absl::Seconds(60));
  EXPECT_FALSE(decision.rotate);
  EXPECT_EQ(decision.next, kT0 + absl::Milliseconds(1500));
}

TEST(RotationPolicyTest, DueWithoutANewerValueFetchesOne) {
  std::map<std::string, HeldValue> running = {
      {"a", Value(1, absl::Seconds(100))}, {"static", HeldValue{1}}};
  RotationDecision decision = DecideRotation(
      running, running, kT0 + absl::Seconds(50), absl::Seconds(60));
  EXPECT_FALSE(decision.rotate);
  EXPECT_EQ(decision.fetch, std::set<std::string>{"a"});
}

}  // namespace
}  // namespace mcpcred::exec::relay

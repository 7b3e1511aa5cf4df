#include "agent/broker/refresh_policy.h"

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

TEST(RefreshTimeTest, LongLivedTokenRefreshesAtHalfLifeMinusJitter) {
  RefreshPolicy policy;
  absl::Time expires = kT0 + absl::Hours(1);
  EXPECT_EQ(RefreshTime(policy, kT0, expires, 0.0), kT0 + absl::Minutes(30));
  EXPECT_EQ(RefreshTime(policy, kT0, expires, 0.5), kT0 + absl::Minutes(27));
}

TEST(RefreshTimeTest, MarginWinsWhenItIsEarlierThanHalfLife) {
  RefreshPolicy policy;
  policy.margin = absl::Minutes(45);
  EXPECT_EQ(RefreshTime(policy, kT0, kT0 + absl::Hours(1), 0.0),
            kT0 + absl::Minutes(15));
}

TEST(RefreshTimeTest, ShortTokenIgnoresAMarginLongerThanItsLife) {
  RefreshPolicy policy;  // 60 s margin, 5 s token
  EXPECT_EQ(RefreshTime(policy, kT0, kT0 + absl::Seconds(5), 0.0),
            kT0 + absl::Milliseconds(2500));
  EXPECT_EQ(RefreshTime(policy, kT0, kT0 - absl::Seconds(1), 0.3), kT0);
}

TEST(RetryDelayTest, DoublesAndCapsWithEqualJitter) {
  RefreshPolicy policy;
  EXPECT_EQ(RetryDelay(policy, 1, 0.0), absl::Milliseconds(500));
  EXPECT_EQ(RetryDelay(policy, 1, 1.0), absl::Seconds(1));
  EXPECT_EQ(RetryDelay(policy, 3, 1.0), absl::Seconds(4));
  EXPECT_EQ(RetryDelay(policy, 30, 1.0), absl::Minutes(5));
  EXPECT_EQ(RetryDelay(policy, 30, 0.0), absl::Seconds(150));
}

}  // namespace
}  // namespace mcpcred

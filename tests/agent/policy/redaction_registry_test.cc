#include "agent/policy/redaction_registry.h"

#include "gtest/gtest.h"
#include "mcpcred/common/stream_redactor.h"
#include "tests/testing/fake_clock.h"

namespace mcpcred {
namespace {

class RedactionRegistryTest : public ::testing::Test {
 protected:
  std::string Scrub(const std::string& text) {
    return Redact(text, *registry_.Current()).text;
  }
  FakeClock clock_;
  RedactionRegistry registry_{&clock_};
};

TEST_F(RedactionRegistryTest, KeepsAValueUntilItExpires) {
  registry_.Add("gh", {"token-one-abcdef"}, clock_.Now() + absl::Minutes(5));
  registry_.Add("gh", {"token-two-abcdef"}, clock_.Now() + absl::Minutes(10));
  EXPECT_EQ(Scrub("token-one-abcdef token-two-abcdef"),
            "[REDACTED:gh] [REDACTED:gh]");
  clock_.Advance(absl::Minutes(6));
  EXPECT_EQ(Scrub("token-one-abcdef token-two-abcdef"),
            "token-one-abcdef [REDACTED:gh]");
}

TEST_F(RedactionRegistryTest, ReusesTheSetUntilSomethingChanges) {
  registry_.Add("gh", {"token-one-abcdef"}, std::nullopt);
  auto first = registry_.Current();
  EXPECT_EQ(registry_.Current(), first);
  registry_.Add("gh", {"token-one-abcdef"}, std::nullopt);  // already held
  EXPECT_EQ(registry_.Current(), first);
  registry_.Add("gh", {"token-new-abcdef"}, std::nullopt);
  EXPECT_NE(registry_.Current(), first);
}

TEST_F(RedactionRegistryTest, BoundsLastingValuesPerCredential) {
  for (size_t i = 0; i <= RedactionRegistry::kMaxLastingPerCredential; ++i) {
    registry_.Add("s",
                  {SecretString("static-value-" + std::to_string(100 + i))},
                  std::nullopt);
  }
  EXPECT_EQ(Scrub("static-value-100"), "static-value-100") << "the oldest";
  EXPECT_EQ(Scrub("static-value-101"), "[REDACTED:s]");
}

TEST_F(RedactionRegistryTest, APinnedSecretOutlivesRotatingValues) {
  registry_.Add("api", {"client-secret-abcdef"}, std::nullopt,
                /*pinned=*/true);
  for (size_t i = 0; i <= 2 * RedactionRegistry::kMaxLastingPerCredential;
       ++i) {
    registry_.Add("api",
                  {SecretString("refresh-token-" + std::to_string(100 + i))},
                  std::nullopt);
  }
  EXPECT_EQ(Scrub("client-secret-abcdef"), "[REDACTED:api]");
}

TEST_F(RedactionRegistryTest, MessagesAreScrubbedAcrossLineBreaks) {
  registry_.Add("gh", {"token-one-abcdef"}, std::nullopt);
  EXPECT_EQ(registry_.ScrubMessage("error: token-one-abcdef rejected"),
            "error: [REDACTED:gh] rejected");
  // Wrapped by the program that printed it.
  EXPECT_EQ(registry_.ScrubMessage("error: token-one-\nabcdef rejected"),
            "error: [REDACTED:gh] rejected");
  EXPECT_EQ(registry_.ScrubMessage("two\nlines"), "two\nlines");
}

TEST_F(RedactionRegistryTest, LockDropsEveryValueAndTakesNoneUntilUnlock) {
  registry_.Add("gh", {"token-one-abcdef"}, std::nullopt);
  registry_.Add("oauth", {"client-secret-abcdef"}, std::nullopt,
                /*pinned=*/true);
  registry_.Lock();
  EXPECT_TRUE(registry_.Values().empty());
  EXPECT_EQ(Scrub("token-one-abcdef client-secret-abcdef"),
            "token-one-abcdef client-secret-abcdef");
  // A fetch that ends after the lock adds nothing.
  registry_.Add("gh", {"token-two-abcdef"}, std::nullopt);
  EXPECT_TRUE(registry_.Values().empty());
  registry_.Unlock();
  registry_.Add("gh", {"token-three-abcdef"}, std::nullopt);
  EXPECT_EQ(Scrub("token-three-abcdef"), "[REDACTED:gh]");
}

}  // namespace
}  // namespace mcpcred

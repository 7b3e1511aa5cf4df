#include "plugins/oauth2/discovery/pkce.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::MatchesRegex;

TEST(S256ChallengeTest, Rfc7636AppendixBVector) {
  // RFC 7636 appendix B: the verifier is the base64url of these 32 octets.
  const unsigned char octets[] = {116, 24,  223, 180, 151, 153, 224, 37,
                                  79,  250, 96,  125, 216, 173, 187, 186,
                                  22,  212, 37,  77,  105, 214, 191, 240,
                                  91,  88,  5,   88,  83,  132, 141, 121};
  std::string verifier = Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(octets), sizeof(octets)));
  EXPECT_EQ(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_EQ(S256Challenge(verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(S256ChallengeTest, IsUnpaddedBase64Url) {
  for (const char* verifier : {"", "a", "0123456789"}) {
    EXPECT_THAT(S256Challenge(verifier), MatchesRegex("[A-Za-z0-9_-]{43}"));
  }
}

TEST(Base64UrlEncodeTest, UsesTheUrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");
}

TEST(NewCodeVerifierTest, HasTheRequestedLengthAndAlphabet) {
  for (size_t length : {43u, 44u, 45u, 46u, 64u, 100u, 127u, 128u}) {
    absl::StatusOr<std::string> verifier = NewCodeVerifier(length);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    EXPECT_EQ(verifier->size(), length);
    EXPECT_THAT(*verifier, MatchesRegex("[A-Za-z0-9_-]+"));
  }
  absl::StatusOr<std::string> by_default = NewCodeVerifier();
  ASSERT_TRUE(by_default.ok());
  EXPECT_EQ(by_default->size(), 64u);
}

TEST(NewCodeVerifierTest, RefusesLengthsOutsideTheRfcRange) {
  for (size_t length : {0u, 42u, 129u, 1000u}) {
    absl::StatusOr<std::string> verifier = NewCodeVerifier(length);
    EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument)
        << length;
  }
}

TEST(NewCodeVerifierTest, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<std::string> verifier = NewCodeVerifier(43);
    ASSERT_TRUE(verifier.ok());
    EXPECT_TRUE(seen.insert(*verifier).second);
  }
}

TEST(NewStateTest, Is43RandomUrlSafeCharacters) {
  absl::StatusOr<std::string> first = NewState();
  absl::StatusOr<std::string> second = NewState();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_THAT(*first, MatchesRegex("[A-Za-z0-9_-]{43}"));
  EXPECT_NE(*first, *second);
}

}  // namespace
}  // namespace mcpcred::oauth2

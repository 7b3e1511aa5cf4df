// Bearer challenges: quoted and token values, several challenges, escapes.
#include "www_authenticate.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::remote {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(WwwAuthenticateTest, InsufficientScope) {
  std::optional<BearerChallenge> challenge = ParseBearerChallenge(
      {R"(Bearer error="insufficient_scope", scope="mcp:read mcp:write", )"
       R"(resource_metadata="http://h/.well-known/oauth-protected-resource/mcp")"});
  ASSERT_TRUE(challenge.has_value());
  EXPECT_EQ(challenge->error, "insufficient_scope");
  EXPECT_THAT(challenge->scopes, ElementsAre("mcp:read", "mcp:write"));
  EXPECT_EQ(challenge->resource_metadata,
            "http://h/.well-known/oauth-protected-resource/mcp");
  EXPECT_TRUE(IsScopeChallenge(*challenge));
}

TEST(WwwAuthenticateTest, TokenValuesCaseAndEscapes) {
  std::optional<BearerChallenge> challenge = ParseBearerChallenge(
      {R"(bearer ERROR=invalid_token,Error_Description="say \"no\"")"});
  ASSERT_TRUE(challenge.has_value());
  EXPECT_EQ(challenge->error, "invalid_token");
  EXPECT_EQ(challenge->error_description, "say \"no\"");
  EXPECT_THAT(challenge->scopes, IsEmpty());
  EXPECT_FALSE(IsScopeChallenge(*challenge));
}

TEST(WwwAuthenticateTest, BearerAfterOtherSchemes) {
  std::optional<BearerChallenge> challenge = ParseBearerChallenge(
      {R"(Basic realm="x", Negotiate abc==, Bearer scope="a", error="insufficient_scope")"});
  ASSERT_TRUE(challenge.has_value());
  EXPECT_THAT(challenge->scopes, ElementsAre("a"));
  EXPECT_TRUE(IsScopeChallenge(*challenge));
}

TEST(WwwAuthenticateTest, SecondHeader) {
  std::optional<BearerChallenge> challenge =
      ParseBearerChallenge({R"(Basic realm="x")",
                            R"(Bearer error="insufficient_scope", scope="b")"});
  ASSERT_TRUE(challenge.has_value());
  EXPECT_THAT(challenge->scopes, ElementsAre("b"));
}

TEST(WwwAuthenticateTest, NoBearer) {
  EXPECT_FALSE(ParseBearerChallenge({}).has_value());
  EXPECT_FALSE(ParseBearerChallenge({R"(Basic realm="Bearer")"}).has_value());
  EXPECT_FALSE(ParseBearerChallenge({"", "???"}).has_value());
}

TEST(WwwAuthenticateTest, BareBearerAndScopeWithoutError) {
  std::optional<BearerChallenge> bare = ParseBearerChallenge({"Bearer"});
  ASSERT_TRUE(bare.has_value());
  EXPECT_TRUE(bare->error.empty());
  std::optional<BearerChallenge> scope_only =
      ParseBearerChallenge({R"(Bearer scope="x")"});
  ASSERT_TRUE(scope_only.has_value());
  EXPECT_FALSE(IsScopeChallenge(*scope_only));
}

}  // namespace
}  // namespace mcpcred::remote

#include "plugins/oauth2/discovery/www_authenticate.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

TEST(ParseWwwAuthenticateTest, McpBearerChallenge) {
  std::vector<Challenge> challenges = ParseWwwAuthenticate(
      "Bearer resource_metadata=\"https://mcp.example.com/.well-known/"
      "oauth-protected-resource/mcp\", scope=\"mcp:read mcp:write\"");
  ASSERT_THAT(challenges, SizeIs(1));
  EXPECT_EQ(challenges[0].scheme, "bearer");
  EXPECT_THAT(
      challenges[0].params,
      UnorderedElementsAre(
          Pair("resource_metadata",
               "https://mcp.example.com/.well-known/oauth-protected-resource/"
               "mcp"),
          Pair("scope", "mcp:read mcp:write")));
  EXPECT_EQ(challenges[0].token68, "");
}

TEST(ParseWwwAuthenticateTest, SeveralChallengesInOneValue) {
  std::vector<Challenge> challenges = ParseWwwAuthenticate(
      "Basic realm=\"x\", Bearer resource_metadata=\"https://r/.well-known/"
      "oauth-protected-resource\", scope=\"a b\", error=\"invalid_token\"");
  ASSERT_THAT(challenges, SizeIs(2));
  EXPECT_EQ(challenges[0].scheme, "basic");
  EXPECT_THAT(challenges[0].params, ElementsAre(Pair("realm", "x")));
  EXPECT_EQ(challenges[1].scheme, "bearer");
  EXPECT_THAT(challenges[1].params, SizeIs(3));
  EXPECT_EQ(challenges[1].params.at("error"), "invalid_token");
  EXPECT_EQ(challenges[1].params.at("scope"), "a b");
}

TEST(ParseWwwAuthenticateTest, Rfc9110Example) {
  // RFC 9110 section 11.6.1.
  std::vector<Challenge> challenges = ParseWwwAuthenticate(
      "Newauth realm=\"apps\", type=1,\n"
      "                       title=\"Login to \\\"apps\\\"\", Basic "
      "realm=\"simple\"");
  ASSERT_THAT(challenges, SizeIs(2));
  EXPECT_EQ(challenges[0].scheme, "newauth");
  EXPECT_THAT(challenges[0].params,
              UnorderedElementsAre(Pair("realm", "apps"), Pair("type", "1"),
                                   Pair("title", "Login to \"apps\"")));
  EXPECT_EQ(challenges[1].scheme, "basic");
  EXPECT_THAT(challenges[1].params, ElementsAre(Pair("realm", "simple")));
}

TEST(ParseWwwAuthenticateTest, EscapesInQuotedStrings) {
  std::vector<Challenge> challenges = ParseWwwAuthenticate(
      R"(Bearer error_description="a \"quoted\" \\ back\slash, and comma")");
  ASSERT_THAT(challenges, SizeIs(1));
  EXPECT_EQ(challenges[0].params.at("error_description"),
            R"(a "quoted" \ backslash, and comma)");
}

TEST(ParseWwwAuthenticateTest, SchemeAndParamNamesAreCaseInsensitive) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("BEARER Scope=\"Read\", ERROR=invalid_token");
  ASSERT_THAT(challenges, SizeIs(1));
  EXPECT_EQ(challenges[0].scheme, "bearer");
  EXPECT_THAT(challenges[0].params,
              UnorderedElementsAre(Pair("scope", "Read"),
                                   Pair("error", "invalid_token")));
}

TEST(ParseWwwAuthenticateTest, Token68) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("Negotiate YIIBhgYGKwYBBQUCoIIBejCC+/w==, Basic");
  ASSERT_THAT(challenges, SizeIs(2));
  EXPECT_EQ(challenges[0].scheme, "negotiate");
  EXPECT_EQ(challenges[0].token68, "YIIBhgYGKwYBBQUCoIIBejCC+/w==");
  EXPECT_THAT(challenges[0].params, IsEmpty());
  EXPECT_EQ(challenges[1].scheme, "basic");
  EXPECT_EQ(challenges[1].token68, "");
}

TEST(ParseWwwAuthenticateTest, ParamAfterToken68IsNotMerged) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("Negotiate abc=, realm=x, Bearer scope=y");
  ASSERT_THAT(challenges, SizeIs(2));
  EXPECT_EQ(challenges[0].token68, "abc=");
  EXPECT_THAT(challenges[0].params, IsEmpty());
  EXPECT_THAT(challenges[1].params, ElementsAre(Pair("scope", "y")));
}

TEST(ParseWwwAuthenticateTest, SchemesWithoutParameters) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("Bearer, Basic ,  DPoP");
  ASSERT_THAT(challenges, SizeIs(3));
  EXPECT_EQ(challenges[0].scheme, "bearer");
  EXPECT_EQ(challenges[1].scheme, "basic");
  EXPECT_EQ(challenges[2].scheme, "dpop");
}

TEST(ParseWwwAuthenticateTest, WhitespaceAroundEqualsAndEmptyElements) {
  std::vector<Challenge> challenges = ParseWwwAuthenticate(
      " ,, Bearer  realm = \"r\" ,, scope\t=\tx ,error=\"e\",  ");
  ASSERT_THAT(challenges, SizeIs(1));
  EXPECT_THAT(challenges[0].params,
              UnorderedElementsAre(Pair("realm", "r"), Pair("scope", "x"),
                                   Pair("error", "e")));
}

TEST(ParseWwwAuthenticateTest, FirstValueOfARepeatedParamWins) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("Bearer scope=\"first\", scope=\"second\"");
  ASSERT_THAT(challenges, SizeIs(1));
  EXPECT_EQ(challenges[0].params.at("scope"), "first");
}

TEST(ParseWwwAuthenticateTest, UnquotedUrlIsReadLeniently) {
  std::optional<BearerChallenge> bearer = FindBearer(
      "Bearer resource_metadata=https://mcp.example.com/.well-known/"
      "oauth-protected-resource, scope=a");
  ASSERT_TRUE(bearer.has_value());
  EXPECT_EQ(bearer->resource_metadata,
            "https://mcp.example.com/.well-known/oauth-protected-resource");
  EXPECT_EQ(bearer->scope, "a");
}

TEST(ParseWwwAuthenticateTest, EmptyQuotedValueIsKept) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("Bearer realm=\"\", scope=s");
  ASSERT_THAT(challenges, SizeIs(1));
  EXPECT_THAT(challenges[0].params,
              UnorderedElementsAre(Pair("realm", ""), Pair("scope", "s")));
}

TEST(ParseWwwAuthenticateTest, UnterminatedQuoteKeepsWhatCameBefore) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("Basic realm=x, Bearer scope=\"a, error=b");
  ASSERT_THAT(challenges, SizeIs(2));
  EXPECT_THAT(challenges[0].params, ElementsAre(Pair("realm", "x")));
  EXPECT_EQ(challenges[1].scheme, "bearer");
  EXPECT_THAT(challenges[1].params, IsEmpty());
}

TEST(ParseWwwAuthenticateTest, SkipsMalformedElementsAndGoesOn) {
  std::vector<Challenge> challenges = ParseWwwAuthenticate(
      "\"junk\", =x, Bearer=oops, Basic realm=a junk junk, @@@, Bearer "
      "scope=ok, =, error=\"e\" trailing");
  ASSERT_THAT(challenges, SizeIs(2));
  EXPECT_EQ(challenges[0].scheme, "basic");
  EXPECT_THAT(challenges[0].params, ElementsAre(Pair("realm", "a")));
  EXPECT_EQ(challenges[1].scheme, "bearer");
  EXPECT_THAT(challenges[1].params,
              UnorderedElementsAre(Pair("scope", "ok"), Pair("error", "e")));
}

TEST(ParseWwwAuthenticateTest, EmptyAndBlankInput) {
  EXPECT_THAT(ParseWwwAuthenticate(""), IsEmpty());
  EXPECT_THAT(ParseWwwAuthenticate("   ,  , "), IsEmpty());
  EXPECT_THAT(ParseWwwAuthenticate("\""), IsEmpty());
  EXPECT_THAT(ParseWwwAuthenticate("\\"), IsEmpty());
  EXPECT_THAT(ParseWwwAuthenticate(std::string(1, '\0')), IsEmpty());
}

TEST(ParseWwwAuthenticateTest, TrailingBackslashInQuotedString) {
  std::vector<Challenge> challenges =
      ParseWwwAuthenticate("Bearer scope=\"abc\\");
  ASSERT_THAT(challenges, SizeIs(1));
  EXPECT_THAT(challenges[0].params, IsEmpty());
}

TEST(ParseWwwAuthenticateTest, RandomGarbageNeverCrashes) {
  const std::string alphabet = "Bb ,=\"\\\t;abc12+/-.~\x01\xff";
  std::mt19937 random(42);
  for (int round = 0; round < 20000; ++round) {
    std::string input;
    size_t length = random() % 40;
    for (size_t i = 0; i < length; ++i) {
      input.push_back(alphabet[random() % alphabet.size()]);
    }
    std::vector<Challenge> challenges = ParseWwwAuthenticate(input);
    for (const Challenge& challenge : challenges) {
      EXPECT_FALSE(challenge.scheme.empty()) << input;
    }
    FindBearer(input);
  }
}

TEST(FindBearerTest, PicksTheBearerChallenge) {
  std::optional<BearerChallenge> bearer = FindBearer(
      "Basic realm=\"x\", Bearer resource_metadata=\"https://r/m\", "
      "scope=\"a b\", error=\"invalid_token\", error_description=\"The "
      "access token expired\"");
  ASSERT_TRUE(bearer.has_value());
  EXPECT_EQ(bearer->resource_metadata, "https://r/m");
  EXPECT_EQ(bearer->scope, "a b");
  EXPECT_EQ(bearer->error, "invalid_token");
  EXPECT_EQ(bearer->error_description, "The access token expired");
}

TEST(FindBearerTest, AbsentParamsAreEmpty) {
  std::optional<BearerChallenge> bearer = FindBearer("bearer");
  ASSERT_TRUE(bearer.has_value());
  EXPECT_EQ(bearer->resource_metadata, "");
  EXPECT_EQ(bearer->scope, "");
  EXPECT_EQ(bearer->error, "");
}

TEST(FindBearerTest, NoBearerChallenge) {
  EXPECT_FALSE(FindBearer("Basic realm=\"x\", Digest nonce=1").has_value());
  EXPECT_FALSE(FindBearer("").has_value());
  EXPECT_FALSE(FindBearer("Bearerish realm=x").has_value());
}

TEST(FindBearerTest, FirstOfSeveralBearerChallengesWins) {
  std::optional<BearerChallenge> bearer =
      FindBearer("Bearer scope=one, Bearer scope=two");
  ASSERT_TRUE(bearer.has_value());
  EXPECT_EQ(bearer->scope, "one");
}

}  // namespace
}  // namespace mcpcred::oauth2

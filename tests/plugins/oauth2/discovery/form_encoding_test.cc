#include "plugins/oauth2/discovery/form_encoding.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(FormEncodeTest, EncodesLikeATokenRequest) {
  EXPECT_EQ(FormEncode({{"grant_type", "authorization_code"},
                        {"code", "Spl/x+Y=="},
                        {"redirect_uri", "http://127.0.0.1:53682/callback"},
                        {"scope", "mcp:read offline_access"},
                        {"resource", "https://mcp.example.com/mcp"}}),
            "grant_type=authorization_code&code=Spl%2Fx%2BY%3D%3D"
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback"
            "&scope=mcp%3Aread+offline_access"
            "&resource=https%3A%2F%2Fmcp.example.com%2Fmcp");
}

TEST(FormEncodeTest, EdgeCases) {
  EXPECT_EQ(FormEncode({}), "");
  EXPECT_EQ(FormEncode({{"", ""}}), "=");
  EXPECT_EQ(FormEncodeComponent("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(FormEncodeComponent("a b&c=d%e"), "a+b%26c%3Dd%25e");
  EXPECT_EQ(FormEncodeComponent(std::string("\0\n\xff", 3)), "%00%0A%FF");
  EXPECT_EQ(FormEncodeComponent("\xc3\xa9"), "%C3%A9");
}

TEST(AppendQueryTest, ChoosesTheSeparator) {
  FormParams params = {{"response_type", "code"}, {"state", "s t"}};
  EXPECT_EQ(AppendQuery("https://as/authorize", params),
            "https://as/authorize?response_type=code&state=s+t");
  EXPECT_EQ(AppendQuery("https://as/authorize?tenant=a", params),
            "https://as/authorize?tenant=a&response_type=code&state=s+t");
  EXPECT_EQ(AppendQuery("https://as/authorize?", params),
            "https://as/authorize?response_type=code&state=s+t");
  EXPECT_EQ(AppendQuery("https://as/authorize?a=1&", params),
            "https://as/authorize?a=1&response_type=code&state=s+t");
  EXPECT_EQ(AppendQuery("https://as/authorize#frag", params),
            "https://as/authorize?response_type=code&state=s+t#frag");
  EXPECT_EQ(AppendQuery("https://as/authorize", {}), "https://as/authorize");
}

TEST(ParseQueryTest, DecodesACallback) {
  EXPECT_THAT(
      ParseQuery("?code=abc%2Fdef&state=x+y&iss=https%3A%2F%2Fas.example.com"),
      UnorderedElementsAre(Pair("code", "abc/def"), Pair("state", "x y"),
                           Pair("iss", "https://as.example.com")));
}

TEST(ParseQueryTest, RoundTripsFormEncode) {
  FormParams params = {{"a b", "c&d=e"},
                       {"uni", "\xc3\xa9\xe2\x82\xac"},
                       {"plus", "1+1"},
                       {"empty", ""}};
  EXPECT_EQ(ParseQueryPairs(FormEncode(params)), params);
}

TEST(ParseQueryTest, MalformedPieces) {
  EXPECT_THAT(ParseQuery(""), IsEmpty());
  EXPECT_THAT(ParseQuery("?"), IsEmpty());
  EXPECT_THAT(ParseQuery("&&&"), IsEmpty());
  EXPECT_THAT(ParseQuery("flag"), ElementsAre(Pair("flag", "")));
  EXPECT_THAT(
      ParseQuery("a=%zz&b=%4&c=%"),
      UnorderedElementsAre(Pair("a", "%zz"), Pair("b", "%4"), Pair("c", "%")));
  EXPECT_THAT(ParseQuery("a=b=c"), ElementsAre(Pair("a", "b=c")));
  EXPECT_THAT(ParseQuery("=v"), ElementsAre(Pair("", "v")));
  EXPECT_THAT(ParseQuery("x=%00"),
              ElementsAre(Pair("x", std::string(1, '\0'))));
  EXPECT_THAT(ParseQuery("??a=1"), ElementsAre(Pair("?a", "1")));
}

TEST(ParseQueryTest, FirstValueWinsButPairsKeepRepeats) {
  EXPECT_THAT(ParseQuery("state=one&state=two"),
              ElementsAre(Pair("state", "one")));
  EXPECT_THAT(ParseQueryPairs("state=one&state=two"),
              ElementsAre(Pair("state", "one"), Pair("state", "two")));
}

}  // namespace
}  // namespace mcpcred::oauth2

#include "plugins/oauth2/discovery/form_encoding.h"

#include <string>
#include <utility>

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

// Forms carry secrets (a code, a refresh token, a client secret): the type
// wipes them, so no caller has to.
bool Zeroed(const char* data, size_t capacity) {
  for (size_t i = 0; i < capacity; ++i) {
    if (data[i] != '\0') return false;
  }
  return true;
}

TEST(FormParamsTest, WipeZeroesEveryValueAndKeepsTheNames) {
  FormParams form = {{"grant_type", "refresh_token"},
                     {"refresh_token", "rt-SECRET-0123456789abcdefghijklmn"},
                     {"client_secret", "cs"}};
  const char* refresh = form[1].second.data();
  size_t refresh_capacity = form[1].second.capacity();
  const char* secret = form[2].second.data();  // in the inline buffer
  size_t secret_capacity = form[2].second.capacity();
  form.Wipe();
  EXPECT_TRUE(Zeroed(refresh, refresh_capacity));
  EXPECT_TRUE(Zeroed(secret, secret_capacity));
  EXPECT_THAT(form,
              ElementsAre(Pair("grant_type", ""), Pair("refresh_token", ""),
                          Pair("client_secret", "")));
}

TEST(FormParamsTest, AssigningOverAFormWipesWhatItHeld) {
  FormParams form = {{"code", "code-SECRET-0123456789abcdefghijklmn"}};
  const char* code = form[0].second.data();
  size_t code_capacity = form[0].second.capacity();
  const FormParams shorter = {{"code", "y"}};
  form = shorter;  // reuses the element's buffer, wiped first
  ASSERT_EQ(form[0].second.data(), code);
  EXPECT_EQ(form[0].second, "y");
  EXPECT_TRUE(Zeroed(code + 1, code_capacity - 1));
  form = FormParams{{"code", "z"}};
  EXPECT_THAT(form, ElementsAre(Pair("code", "z")));
}

TEST(FormParamsTest, ABracedListCopiesEachValueOnceAndKeepsRoom) {
  const std::string code = "code-SECRET-0123456789abcdefghijklmn";
  FormParams form = {{"grant_type", "authorization_code"}, {"code", code}};
  EXPECT_THAT(form, ElementsAre(Pair("grant_type", "authorization_code"),
                                Pair("code", code)));
  // Adding the client's authentication and a resource does not move the
  // values (a short one would leave its inline copy behind).
  const auto* first = form.data();
  form.emplace_back("resource", "https://mcp.example.com");
  form.emplace_back("client_id", "c");
  form.emplace_back("client_secret", "s");
  EXPECT_EQ(form.data(), first);
}

TEST(FormParamsTest, CopiesAndMovesKeepTheValues) {
  FormParams form = {{"a", "1"}, {"b", "2"}};
  FormParams copy = form;
  EXPECT_EQ(copy, form);
  FormParams moved = std::move(copy);
  EXPECT_EQ(moved, form);
}

TEST(FormEncodeSecretTest, EncodesLikeFormEncodeComponent) {
  for (const char* text : {"", "s:1", "a b&c=d/é", "plain-._~"}) {
    EXPECT_EQ(FormEncodeSecret(text).view(), FormEncodeComponent(text));
  }
}

TEST(FirstValueTest, FirstOfARepeatedNameOrEmpty) {
  FormParams pairs = ParseQueryPairs("code=one&state=s&code=two");
  EXPECT_EQ(FirstValue(pairs, "code"), "one");
  EXPECT_EQ(FirstValue(pairs, "state"), "s");
  EXPECT_EQ(FirstValue(pairs, "iss"), "");
}

}  // namespace
}  // namespace mcpcred::oauth2

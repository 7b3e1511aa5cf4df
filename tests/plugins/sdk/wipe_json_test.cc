#include "plugins/sdk/wipe_json.h"

#include <stdexcept>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace mcpcred::plugin {
namespace {

constexpr char kRefresh[] = "rt-SECRET-0123456789abcdefghijklmnopqrstuvwxyz";

// The bytes of a string's whole buffer, which stays allocated after a wipe
// (WipeString keeps the capacity), so the test can look at them.
struct Buffer {
  explicit Buffer(const nlohmann::json& value)
      : data(value.get_ref<const std::string&>().data()),
        capacity(value.get_ref<const std::string&>().capacity()) {}
  bool Zeroed() const {
    for (size_t i = 0; i < capacity; ++i) {
      if (data[i] != '\0') return false;
    }
    return true;
  }
  const char* data;
  size_t capacity;
};

nlohmann::json TokenAnswer() {
  return nlohmann::json::parse(
      std::string(R"({"access_token": "at-SECRET-)") + std::string(40, 'a') +
      R"(", "refresh_token": ")" + kRefresh + R"(", "expires_in": 3600,
      "nested": {"list": ["short", "id-SECRET-0123456789abcdef"]}})");
}

TEST(WipeJsonTest, ZeroesEveryStringAndKeepsTheShape) {
  nlohmann::json doc = TokenAnswer();
  Buffer access(doc["access_token"]);
  Buffer refresh(doc["refresh_token"]);
  Buffer in_list(doc["nested"]["list"][1]);
  ASSERT_FALSE(refresh.Zeroed());
  WipeJson(&doc);
  EXPECT_TRUE(access.Zeroed());
  EXPECT_TRUE(refresh.Zeroed());
  EXPECT_TRUE(in_list.Zeroed());
  EXPECT_EQ(doc["access_token"], "");
  EXPECT_EQ(doc["nested"]["list"][0], "");
  EXPECT_EQ(doc["expires_in"], 3600);
}

// What a parse that finds no usable token does: returns early.
bool HasAccessTokenOfLength(nlohmann::json* doc, size_t length) {
  JsonWiper wipe_doc(doc);
  if (!doc->contains("access_token")) return false;
  if ((*doc)["access_token"].get_ref<const std::string&>().size() != length) {
    return false;
  }
  return true;
}

TEST(JsonWiperTest, WipesOnAnEarlyReturn) {
  nlohmann::json doc = TokenAnswer();
  Buffer refresh(doc["refresh_token"]);
  EXPECT_FALSE(HasAccessTokenOfLength(&doc, 1));
  EXPECT_TRUE(refresh.Zeroed());
  EXPECT_EQ(doc["refresh_token"], "");
}

TEST(JsonWiperTest, WipesWhenAnExceptionLeaves) {
  nlohmann::json doc = TokenAnswer();
  Buffer refresh(doc["refresh_token"]);
  try {
    JsonWiper wipe_doc(&doc);
    throw std::runtime_error("the answer was unusable");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(refresh.Zeroed());
}

TEST(JsonWiperTest, LeavesNonStringDocumentsAlone) {
  nlohmann::json doc = nlohmann::json::parse("[1, 2.5, true, null]");
  { JsonWiper wipe_doc(&doc); }
  EXPECT_EQ(doc, nlohmann::json::parse("[1, 2.5, true, null]"));
  nlohmann::json discarded = nlohmann::json::parse("{", nullptr, false);
  { JsonWiper wipe_doc(&discarded); }
  EXPECT_TRUE(discarded.is_discarded());
}

TEST(ParseJsonTest, ParsesValidJsonAndDiscardsTheRest) {
  EXPECT_EQ(ParseJson(R"({"a": ["b", 1]})"),
            nlohmann::json::parse(R"({"a": ["b", 1]})"));
  // Truncated after a secret: nothing is built, so nothing is left behind.
  for (std::string_view text :
       {"", "{", R"({"refresh_token": "rt-SECRET-0123456789abcdef", )",
        R"({"a": 1} trailing)", "not json"}) {
    EXPECT_TRUE(ParseJson(text).is_discarded()) << text;
  }
}

}  // namespace
}  // namespace mcpcred::plugin

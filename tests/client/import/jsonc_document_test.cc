#include "jsonc_document.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/client/import/sample_configs.h"

namespace mcpcred::cli::import {
namespace {

std::string SpanText(const std::string& text, const JsonNode& node) {
  return text.substr(node.begin, node.end - node.begin);
}

TEST(JsoncDocumentTest, ReadsCommentsAndTrailingCommasAndRecordsSpans) {
  std::string text =
      testing::Sample("zed-settings.json", testing::UnitSecrets());
  absl::StatusOr<std::unique_ptr<JsonNode>> root = ParseJsonc(text);
  ASSERT_TRUE(root.ok()) << root.status();
  const JsonNode* theme = (*root)->Get("theme");
  ASSERT_NE(theme, nullptr);
  EXPECT_EQ(theme->string_value, "One Dark");
  EXPECT_EQ(SpanText(text, *theme), "\"One Dark\"");
  const JsonNode* servers = (*root)->Get("context_servers");
  ASSERT_NE(servers, nullptr);
  ASSERT_EQ(servers->object.members.size(), 2u);
  const MemberSpan& github = servers->object.members[0];
  EXPECT_EQ(github.key, "github");
  EXPECT_EQ(text.substr(github.begin, 8), "\"github\"");
  // Trailing commas are recorded as the members' commas.
  EXPECT_NE(servers->object.members[1].comma, kNoPosition);
  const JsonNode* size = (*root)->Get("buffer_font_size");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->kind, JsonNode::Kind::kNumber);
  EXPECT_EQ(SpanText(text, *size), "15");
}

TEST(JsoncDocumentTest, DecodesEscapesAndSurrogatePairs) {
  absl::StatusOr<std::unique_ptr<JsonNode>> root =
      ParseJsonc(R"({"a": "x\"y\\z\/\n\u00e9\ud83d\ude00"})");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_EQ((*root)->Get("a")->string_value,
            "x\"y\\z/\n\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(JsoncDocumentTest, ErrorsNameTheLine) {
  absl::StatusOr<std::unique_ptr<JsonNode>> root =
      ParseJsonc("{\n  \"a\": 1,\n  \"b\": \n}");
  ASSERT_FALSE(root.ok());
  EXPECT_TRUE(absl::StartsWith(root.status().message(), "line 4:"))
      << root.status();
  EXPECT_FALSE(ParseJsonc("{\"a\": 1} x").ok());
  EXPECT_FALSE(ParseJsonc("{\"a\": /* never closed").ok());
  EXPECT_FALSE(ParseJsonc("[1, 2").ok());
}

TEST(JsoncDocumentTest, AnErrorNeverQuotesAString) {
  absl::StatusOr<std::unique_ptr<JsonNode>> root =
      ParseJsonc(R"({"token": "hidden-value-123\q"})");
  ASSERT_FALSE(root.ok());
  EXPECT_FALSE(absl::StrContains(root.status().message(), "hidden-value"))
      << root.status();
}

TEST(JsoncDocumentTest, RefusesDeepNesting) {
  std::string deep(1000, '[');
  deep += std::string(1000, ']');
  absl::StatusOr<std::unique_ptr<JsonNode>> root = ParseJsonc(deep);
  ASSERT_FALSE(root.ok());
  EXPECT_TRUE(absl::StrContains(root.status().message(), "nested too deeply"));
}

TEST(JsoncDocumentTest, AByteOrderMarkKeepsOffsets) {
  std::string text = "\xEF\xBB\xBF{\"a\": \"b\"}";
  absl::StatusOr<std::unique_ptr<JsonNode>> root = ParseJsonc(text);
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_EQ(SpanText(text, *(*root)->Get("a")), "\"b\"");
}

TEST(JsoncDocumentTest, QuoteEscapesControlCharacters) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01\x7F"), "\"a\\\"b\\\\c\\n\\u0001\\u007f\"");
}

}  // namespace
}  // namespace mcpcred::cli::import

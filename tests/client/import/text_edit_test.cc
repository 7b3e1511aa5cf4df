#include "text_edit.h"

#include <string>

#include "gtest/gtest.h"
#include "jsonc_document.h"

namespace mcpcred::cli::import {
namespace {

// `text` with the members `remove` of its root object removed.
std::string Remove(const std::string& text, std::vector<size_t> remove) {
  absl::StatusOr<std::unique_ptr<JsonNode>> root = ParseJsonc(text);
  EXPECT_TRUE(root.ok()) << root.status();
  if (!root.ok()) return "";
  absl::StatusOr<std::string> edited =
      ApplyEdits(text, RemoveMembers(text, (*root)->object, remove, "{}"));
  EXPECT_TRUE(edited.ok()) << edited.status();
  std::string out = edited.value_or("");
  EXPECT_TRUE(ParseJsonc(out).ok()) << "not JSON any more: " << out;
  return out;
}

TEST(TextEditTest, NoEditsIsTheSameBytes) {
  std::string text = "{ \"a\" : 1 , // c\n \"b\":[1,2]}\r\n";
  absl::StatusOr<std::string> same = ApplyEdits(text, {});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, text);
}

TEST(TextEditTest, EditsApplyInAnyOrderAndMayTouch) {
  absl::StatusOr<std::string> edited =
      ApplyEdits("abcdef", {{4, 6, "X"}, {0, 2, "Y"}, {2, 4, ""}});
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(*edited, "YX");
}

TEST(TextEditTest, OverlappingEditsAreRefused) {
  EXPECT_FALSE(ApplyEdits("abcdef", {{0, 3, "x"}, {2, 4, "y"}}).ok());
  EXPECT_FALSE(ApplyEdits("abc", {{2, 9, "x"}}).ok());
}

TEST(TextEditTest, AMemberOnItsOwnLineGoesWithItsLineAndComment) {
  EXPECT_EQ(Remove("{\n  \"a\": 1, // one\n  \"b\": 2\n}\n", {0}),
            "{\n  \"b\": 2\n}\n");
}

TEST(TextEditTest, TheLastMemberTakesThePrecedingComma) {
  EXPECT_EQ(Remove("{\n  \"a\": 1,\n  \"b\": 2\n}", {1}), "{\n  \"a\": 1\n}");
}

TEST(TextEditTest, TheLastMemberWithATrailingCommaGoesWithIt) {
  EXPECT_EQ(Remove("{\n  \"a\": 1,\n  \"b\": 2,\n}", {1}), "{\n  \"a\": 1,\n}");
}

TEST(TextEditTest, MembersSharingALine) {
  EXPECT_EQ(Remove("{\"a\": 1, \"b\": 2, \"c\": 3}", {1}),
            "{\"a\": 1, \"c\": 3}");
  EXPECT_EQ(Remove("{\"a\": 1, \"b\": 2, \"c\": 3}", {1, 2}), "{\"a\": 1}");
  EXPECT_EQ(Remove("{\"a\": 1, \"b\": 2, \"c\": 3}", {0, 1}), "{\"c\": 3}");
}

TEST(TextEditTest, EveryMemberGoneLeavesAnEmptyObject) {
  EXPECT_EQ(Remove("{\n  \"a\": 1,\n  \"b\": 2\n}", {0, 1}), "{}");
}

TEST(TextEditTest, SeparatorFollowsTheMembersStyle) {
  std::string multi = "{\n    \"a\": 1\n}";
  absl::StatusOr<std::unique_ptr<JsonNode>> root = ParseJsonc(multi);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(SeparatorAfter(multi, (*root)->object, (*root)->object.members[0]),
            ",\n    ");
  std::string one = "{\"a\": 1}";
  root = ParseJsonc(one);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(SeparatorAfter(one, (*root)->object, (*root)->object.members[0]),
            ", ");
}

}  // namespace
}  // namespace mcpcred::cli::import

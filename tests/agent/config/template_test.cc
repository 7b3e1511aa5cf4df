#include "agent/config/template.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(TemplateTest, RendersVariablesAndLiteralText) {
  absl::StatusOr<Template> t = Template::Parse("Bearer {access_token}");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->source(), "Bearer {access_token}");
  EXPECT_THAT(t->variables(), ElementsAre("access_token"));
  absl::StatusOr<SecretString> out = t->Render({{"access_token", "abc"}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "Bearer abc");
}

TEST(TemplateTest, ListsEachVariableOnceInOrderOfFirstUse) {
  absl::StatusOr<Template> t = Template::Parse("{b}:{a}:{b}");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->variables(), ElementsAre("b", "a"));
  EXPECT_EQ(*t->Render({{"a", "1"}, {"b", "2"}}), "2:1:2");
}

TEST(TemplateTest, DoubledBracesAreLiteral) {
  absl::StatusOr<Template> t = Template::Parse("{{x}} {{{y}}}");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->variables(), ElementsAre("y"));
  EXPECT_EQ(*t->Render({{"y", "v"}}), "{x} {v}");
}

TEST(TemplateTest, PlainTextAndEmptyTextHaveNoVariables) {
  absl::StatusOr<Template> plain = Template::Parse("no vars");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->variables().empty());
  EXPECT_EQ(*plain->Render({}), "no vars");
  absl::StatusOr<Template> empty = Template::Parse("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty->Render({}), "");
}

TEST(TemplateTest, AcceptsDigitsAndUnderscoresInNames) {
  absl::StatusOr<Template> t = Template::Parse("{token_2}");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->variables(), ElementsAre("token_2"));
}

TEST(TemplateTest, RejectsUnclosedBrace) {
  absl::StatusOr<Template> t = Template::Parse("Bearer {token");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("unclosed \"{\" at column 8"));
}

TEST(TemplateTest, RejectsEmptyBraces) {
  absl::StatusOr<Template> t = Template::Parse("a{}b");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("empty \"{}\" at column 2"));
}

TEST(TemplateTest, RejectsLoneClosingBrace) {
  absl::StatusOr<Template> t = Template::Parse("a}b");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("lone \"}\" at column 2"));
}

TEST(TemplateTest, RejectsInvalidVariableNames) {
  for (const char* text : {"{Token}", "{a-b}", "{a b}", "{a{b}"}) {
    absl::StatusOr<Template> t = Template::Parse(text);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(t.status().message(), HasSubstr("is not a valid name")) << text;
  }
}

TEST(TemplateTest, RenderNamesMissingVariableButNoValue) {
  absl::StatusOr<Template> t = Template::Parse("{user}:{password}");
  ASSERT_TRUE(t.ok());
  absl::StatusOr<SecretString> out = t->Render({{"user", "s3cr3t-user"}});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("\"password\""));
  EXPECT_THAT(out.status().message(), Not(HasSubstr("s3cr3t-user")));
}

}  // namespace
}  // namespace mcpcred::config

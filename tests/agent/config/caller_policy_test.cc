// The caller policy keys of a credential: allow, confirm, confirm_timeout.
#include "agent/config/caller_policy.h"

#include <string>

#include "agent/config/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/config/config_test_util.h"

namespace mcpcred::config {
namespace {

using test_util::ErrorOf;
using test_util::ParseOne;

std::string StaticWith(const std::string& lines) {
  return "[credential.s]\nprovider = \"static\"\nsecret = \"env:S\"\n" + lines +
         "\n";
}

TEST(CallerPolicyTest, NoKeysRestrictNothing) {
  CredentialConfig credential = ParseOne(StaticWith(""));
  ASSERT_TRUE(credential.error.ok()) << credential.error;
  EXPECT_FALSE(credential.policy.restricts());
  EXPECT_FALSE(credential.policy.allow.has_value());
}

TEST(CallerPolicyTest, ParsesEveryKindOfRule) {
  CredentialConfig credential = ParseOne(StaticWith(
      "allow = [\"exec\", \"exec:/usr/bin/npx\", \"exe:/usr/bin/node\", "
      "\"unit:app-vscode-*.scope\", \"cgroup:/user.slice/*.slice\"]"));
  ASSERT_TRUE(credential.error.ok()) << credential.error;
  ASSERT_TRUE(credential.policy.allow.has_value());
  const std::vector<CallerRule>& allow = *credential.policy.allow;
  ASSERT_EQ(allow.size(), 5u);
  EXPECT_EQ(allow[0].kind, CallerRuleKind::kExec);
  EXPECT_EQ(allow[0].pattern, "");
  EXPECT_EQ(allow[1].kind, CallerRuleKind::kExec);
  EXPECT_EQ(allow[1].pattern, "/usr/bin/npx");
  EXPECT_EQ(allow[2].kind, CallerRuleKind::kExe);
  EXPECT_EQ(allow[2].pattern, "/usr/bin/node");
  EXPECT_EQ(allow[3].kind, CallerRuleKind::kUnit);
  EXPECT_EQ(allow[3].pattern, "app-vscode-*.scope");
  EXPECT_EQ(allow[4].kind, CallerRuleKind::kCgroup);
  EXPECT_EQ(allow[4].pattern, "/user.slice/*.slice");
  EXPECT_TRUE(credential.policy.restricts());
}

TEST(CallerPolicyTest, AnEmptyAllowListAdmitsNobody) {
  CredentialConfig credential = ParseOne(StaticWith("allow = []"));
  ASSERT_TRUE(credential.error.ok()) << credential.error;
  ASSERT_TRUE(credential.policy.allow.has_value());
  EXPECT_TRUE(credential.policy.allow->empty());
  EXPECT_TRUE(credential.policy.restricts());
}

TEST(CallerPolicyTest, ConfirmAndItsTimeout) {
  CredentialConfig plain = ParseOne(StaticWith("confirm = true"));
  ASSERT_TRUE(plain.error.ok()) << plain.error;
  EXPECT_TRUE(plain.policy.confirm);
  EXPECT_EQ(plain.policy.confirm_timeout, absl::Seconds(30));
  CredentialConfig timed =
      ParseOne(StaticWith("confirm = true\nconfirm_timeout = \"500ms\""));
  ASSERT_TRUE(timed.error.ok()) << timed.error;
  EXPECT_EQ(timed.policy.confirm_timeout, absl::Milliseconds(500));
}

TEST(CallerPolicyTest, UnknownKindIsOneClearLine) {
  EXPECT_EQ(ErrorOf(StaticWith("allow = [\"exe:/bin/a\", \"path:/bin/b\"]")),
            "cfg.toml:4: credential \"s\": key \"allow[1]\": allow rule "
            "\"path:/bin/b\": unknown kind \"path\"; expected \"exec\", "
            "\"exec:/PATH\", \"exe:/PATH\", \"unit:NAME\" or "
            "\"cgroup:/PATH\"");
}

TEST(CallerPolicyTest, RuleWithoutKindIsRefused) {
  EXPECT_EQ(ErrorOf(StaticWith("allow = [\"/usr/bin/node\"]")),
            "cfg.toml:4: credential \"s\": key \"allow[0]\": allow rule "
            "\"/usr/bin/node\": expected \"exec\", \"exec:/PATH\", "
            "\"exe:/PATH\", \"unit:NAME\" or \"cgroup:/PATH\"");
}

TEST(CallerPolicyTest, RelativePathsAreRefused) {
  EXPECT_EQ(ErrorOf(StaticWith("allow = [\"exe:node\"]")),
            "cfg.toml:4: credential \"s\": key \"allow[0]\": allow rule "
            "\"exe:node\": the exe path must be absolute, e.g. "
            "\"exe:/usr/bin/node\"");
  EXPECT_THAT(ErrorOf(StaticWith("allow = [\"exec:npx\"]")),
              ::testing::HasSubstr("the exec path must be absolute"));
  EXPECT_THAT(ErrorOf(StaticWith("allow = [\"cgroup:user.slice\"]")),
              ::testing::HasSubstr("the cgroup path must be absolute"));
}

TEST(CallerPolicyTest, EmptyPatternAndUnitPathAreRefused) {
  EXPECT_THAT(ErrorOf(StaticWith("allow = [\"exe:\"]")),
              ::testing::HasSubstr("nothing after \"exe:\""));
  EXPECT_THAT(ErrorOf(StaticWith("allow = [\"unit:/user.slice/a.scope\"]")),
              ::testing::HasSubstr("a unit is a name"));
}

TEST(CallerPolicyTest, WrongTypesAreRefused) {
  EXPECT_EQ(ErrorOf(StaticWith("allow = \"exec\"")),
            "cfg.toml:4: credential \"s\": key \"allow\": expected an array "
            "of strings, got a string");
  EXPECT_EQ(ErrorOf(StaticWith("confirm = \"yes\"")),
            "cfg.toml:4: credential \"s\": key \"confirm\": expected a "
            "boolean, got a string");
  EXPECT_EQ(ErrorOf(StaticWith("confirm_timeout = \"soon\"")),
            "cfg.toml:4: credential \"s\": key \"confirm_timeout\": expected "
            "a duration between 1ms and 1h such as \"30s\", got \"soon\"");
  EXPECT_THAT(ErrorOf(StaticWith("confirm_timeout = \"2h\"")),
              ::testing::HasSubstr("between 1ms and 1h"));
}

}  // namespace
}  // namespace mcpcred::config

// The keys of a credential that the agent reads itself, whatever its
// provider: `lifetime` and `forward`.
#include <string>

#include "absl/time/time.h"
#include "agent/config/config.h"
#include "agent/config/lifetime.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/config/config_test_util.h"

namespace mcpcred::config {
namespace {

using test_util::ErrorOf;
using test_util::ParseOne;

std::string StaticWith(const std::string& line) {
  return "[credential.s]\nprovider = \"static\"\nsecret = \"env:S\"\n" + line +
         "\n";
}

TEST(LifetimeTest, ParsesDurationsAndSeconds) {
  EXPECT_EQ(*ParseLifetime("8h"), absl::Hours(8));
  EXPECT_EQ(*ParseLifetime("1h30m"), absl::Minutes(90));
  EXPECT_EQ(*ParseLifetime("1.5h"), absl::Minutes(90));
  EXPECT_EQ(*ParseLifetime("45s"), absl::Seconds(45));
  EXPECT_EQ(*ParseLifetime("3600"), absl::Hours(1));
  EXPECT_EQ(*ParseLifetime("1s"), absl::Seconds(1));
}

TEST(LifetimeTest, RefusesWhatIsNotALifetime) {
  for (const char* bad :
       {"", "0", "0s", "500ms", "-5m", "8 hours", "h", "inf", "1d", "8h "}) {
    absl::StatusOr<absl::Duration> parsed = ParseLifetime(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(AgentKeysTest, NoLifetimeAndForwardedByDefault) {
  CredentialConfig credential = ParseOne(StaticWith(""));
  EXPECT_FALSE(credential.lifetime.has_value());
  EXPECT_TRUE(credential.forward);
}

TEST(AgentKeysTest, ReadsLifetime) {
  CredentialConfig credential = ParseOne(StaticWith("lifetime = \"8h\""));
  ASSERT_TRUE(credential.error.ok()) << credential.error;
  EXPECT_EQ(credential.lifetime, absl::Hours(8));
  // Not a provider key: the plugin never sees it.
  EXPECT_FALSE(credential.provider_config.contains("lifetime"));
}

TEST(AgentKeysTest, LifetimeExpandsVariables) {
  test_util::ScopedEnv env("MCPCRED_TEST_LIFETIME", "90m");
  CredentialConfig credential =
      ParseOne(StaticWith("lifetime = \"${MCPCRED_TEST_LIFETIME}\""));
  ASSERT_TRUE(credential.error.ok()) << credential.error;
  EXPECT_EQ(credential.lifetime, absl::Minutes(90));
}

TEST(AgentKeysTest, BadLifetimeIsOneLineNamingTheKey) {
  EXPECT_EQ(ErrorOf(StaticWith("lifetime = \"eight hours\"")),
            "cfg.toml:4: credential \"s\": key \"lifetime\": expected a "
            "lifetime of at least one second such as \"8h\", \"30m\", "
            "\"1h30m\" or a number of seconds");
  EXPECT_EQ(ErrorOf(StaticWith("lifetime = \"0s\"")),
            "cfg.toml:4: credential \"s\": key \"lifetime\": expected a "
            "lifetime of at least one second such as \"8h\", \"30m\", "
            "\"1h30m\" or a number of seconds");
  EXPECT_EQ(ErrorOf(StaticWith("lifetime = 3600")),
            "cfg.toml:4: credential \"s\": key \"lifetime\": expected a "
            "string such as \"8h\", got an integer");
}

TEST(AgentKeysTest, ReadsForward) {
  CredentialConfig credential = ParseOne(StaticWith("forward = false"));
  ASSERT_TRUE(credential.error.ok()) << credential.error;
  EXPECT_FALSE(credential.forward);
  EXPECT_FALSE(credential.provider_config.contains("forward"));
  EXPECT_TRUE(ParseOne(StaticWith("forward = true")).forward);
}

TEST(AgentKeysTest, ForwardMustBeABoolean) {
  EXPECT_EQ(ErrorOf(StaticWith("forward = \"no\"")),
            "cfg.toml:4: credential \"s\": key \"forward\": expected true or "
            "false, got a string");
}

}  // namespace
}  // namespace mcpcred::config

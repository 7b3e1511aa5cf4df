// The guard in front of toml++ 3.3.0 (agent/config/toml_guard.h): text that
// would make toml++ ask whether a non-ASCII character is whitespace (its
// undefined behaviour) gets one clear error; non-ASCII text in strings and
// comments still parses. Under the sanitizer build (scripts/sanitize.sh)
// these inputs aborted inside toml++ before the guard.
#include "agent/config/toml_guard.h"

#include <string>

#include "agent/config/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/config/config_test_util.h"

namespace mcpcred::config {
namespace {

using test_util::Parse;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ErrorParsing(const std::string& text) {
  absl::StatusOr<AgentConfig> config = Parse(text);
  EXPECT_FALSE(config.ok()) << "parsed:\n" << text;
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(config.status().message());
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  return message;
}

TEST(TomlGuardTest, NonAsciiBareKeyIsOneClearError) {
  EXPECT_THAT(ErrorParsing("[credential.d]\n\xc2\xa7 = 1\n"),
              AllOf(StartsWith("cfg.toml:2:1: a non-ASCII character outside "
                               "a string or comment"),
                    HasSubstr("quote the key")));
}

TEST(TomlGuardTest, NonAsciiInATableHeaderIsRefused) {
  EXPECT_THAT(ErrorParsing("[credential.caf\xc3\xa9]\nprovider = \"static\"\n"),
              StartsWith("cfg.toml:1:16: a non-ASCII character"));
}

TEST(TomlGuardTest, NonAsciiAfterAValueIsRefused) {
  EXPECT_THAT(ErrorParsing("a = 1\xe3\x80\x80\n"),
              StartsWith("cfg.toml:1:6: a non-ASCII character"));
  // toml++ reads a date on over a blank and a quote, as a time may follow.
  EXPECT_THAT(ErrorParsing("a = 1979-05-27 \"\xe3\x80\x81\"\n"),
              StartsWith("cfg.toml:1:17: a non-ASCII character"));
}

TEST(TomlGuardTest, NonAsciiAfterALineEndingBackslashIsRefused) {
  EXPECT_THAT(ErrorParsing("s = \"\"\"\\\n\xc2\xa7\"\"\"\n"),
              AllOf(StartsWith("cfg.toml:2:1: a non-ASCII character first "
                               "after a line-ending backslash"),
                    HasSubstr("\\uXXXX")));
  EXPECT_THAT(ErrorParsing("s = \"\"\"\\\xc2\xa7\"\"\"\n"),
              StartsWith("cfg.toml:1:9: a backslash before a non-ASCII"));
}

TEST(TomlGuardTest, NonAsciiInStringsAndCommentsParses) {
  absl::StatusOr<AgentConfig> config = Parse(
      "# caf\xc3\xa9\n[credential.\"d\"]  # \xc2\xa7\nprovider = "
      "\"static\"\nsecret = \"env:CAF\"  # caf\xc3\xa9\n"
      "env = { 'K' = '''\xe3\x80\x80{secret}''' }\n");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->credentials.size(), 1u);
  EXPECT_TRUE(config->credentials[0].error.ok())
      << config->credentials[0].error;
}

TEST(TomlGuardTest, ByteOrderMarkIsAccepted) {
  EXPECT_TRUE(CheckTomlIsSafeToParse("\xEF\xBB\xBF\"k\" = 1\n", "x").ok());
}

TEST(TomlGuardTest, BlankTableKeyIsTomlsOwnError) {
  // Once an optimizer assumption inside toml++ (see config_loader.cc).
  EXPECT_THAT(ErrorParsing("[=t]\n"), StartsWith("cfg.toml:1:"));
}

}  // namespace
}  // namespace mcpcred::config

#include "secret_detector.h"

#include "gtest/gtest.h"

namespace mcpcred::cli::import {
namespace {

bool Secret(absl::string_view key, absl::string_view value) {
  return DetectSecret(key, value).has_value();
}

TEST(SecretDetectorTest, KeysThatNameASecret) {
  EXPECT_TRUE(Secret("GITHUB_PERSONAL_ACCESS_TOKEN", "abcdefgh12345678"));
  EXPECT_TRUE(Secret("BRAVE_API_KEY", "BSAxxxxxxxxxxxxx"));
  EXPECT_TRUE(Secret("DB_PASSWORD", "hunter2hunter2"));
  EXPECT_TRUE(Secret("apiKey", "abcdefgh12345678"));
  EXPECT_TRUE(Secret("X-Api-Key", "abcdefgh12345678"));
  EXPECT_TRUE(Secret("SLACK_SIGNING_SECRET", "abcdefgh12345678"));
}

TEST(SecretDetectorTest, ReferencesAreNotLiterals) {
  EXPECT_FALSE(Secret("API_KEY", "${input:api-key}"));
  EXPECT_FALSE(Secret("API_KEY", "${env:API_KEY}"));
  EXPECT_FALSE(Secret("API_KEY", "${API_KEY}"));
  EXPECT_FALSE(Secret("API_KEY", "$API_KEY_VALUE"));
  EXPECT_FALSE(Secret("Authorization", "Bearer ${input:token}"));
  EXPECT_FALSE(Secret("API_KEY", "{env:API_KEY}"));
}

TEST(SecretDetectorTest, ObviousNonSecrets) {
  EXPECT_FALSE(Secret("API_KEY", ""));
  EXPECT_FALSE(Secret("TOKEN_TTL", "3600"));
  EXPECT_FALSE(Secret("AUTH_ENABLED", "true"));
  EXPECT_FALSE(Secret("KEY_FILE", "/home/me/.ssh/key.pem"));
  EXPECT_FALSE(Secret("KEY_FILE", "~/keys/key.pem"));
  EXPECT_FALSE(Secret("AUTH_URL", "https://auth.example.com/token"));
  EXPECT_FALSE(Secret("TOKEN", "short"));
  EXPECT_FALSE(Secret("SLACK_TEAM_ID", "T01234567"));
  EXPECT_FALSE(Secret("LOG_LEVEL", "debug-everything"));
}

TEST(SecretDetectorTest, ValuesThatAreSecretsWhateverTheKey) {
  EXPECT_TRUE(Secret("GH", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
  EXPECT_TRUE(Secret("OPENAI", "sk-proj-abcdefghijklmnop"));
  EXPECT_TRUE(Secret("DATABASE_URL", "postgres://app:pw123456@db:5432/app"));
  EXPECT_FALSE(Secret("DATABASE_URL", "postgres://app@db:5432/app"));
}

TEST(SecretDetectorTest, AnAuthorizationSchemeStaysOutOfTheSecret) {
  std::optional<DetectedSecret> bearer =
      DetectSecret("Authorization", "Bearer abcdefgh12345678");
  ASSERT_TRUE(bearer.has_value());
  EXPECT_EQ(bearer->scheme, "Bearer ");
  EXPECT_EQ(bearer->secret, "abcdefgh12345678");
  std::optional<DetectedSecret> plain =
      DetectSecret("X-Api-Key", "abcdefgh12345678");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->scheme, "");
  EXPECT_EQ(plain->secret, "abcdefgh12345678");
}

}  // namespace
}  // namespace mcpcred::cli::import

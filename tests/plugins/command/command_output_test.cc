// What the command prints: the token, its type and expiry, and each way the
// output can be wrong.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "tests/plugins/command/command_test_util.h"

namespace mcpcred::command_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(CommandProviderTest, ServesTheTokenItPrints) {
  auto token = FetchFrom(R"(echo '{"access_token": "tok-123"}')");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "tok-123");
  EXPECT_EQ(token->variables.at("access_token"), "tok-123");
  // Without an expiry the token is served until reload.
  EXPECT_FALSE(token->expires_at.has_value());
}

TEST_F(CommandProviderTest, TokenTypeIsExposedAndDefaultsToBearer) {
  auto typed = FetchFrom(R"(echo '{"access_token":"t","token_type":"DPoP"}')");
  ASSERT_TRUE(typed.ok()) << typed.status();
  EXPECT_EQ(typed->variables.at("token_type"), "DPoP");
  auto plain = FetchFrom(R"(echo '{"access_token":"t"}')");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->variables.at("token_type"), "Bearer");
}

TEST_F(CommandProviderTest, UnknownKeysAreIgnored) {
  auto token = FetchFrom(
      R"(echo '{"access_token":"t","kind":"ExecCredential","x":[1,{}]}')");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "t");
}

TEST_F(CommandProviderTest, ExpiresInCountsFromTheHostClock) {
  script_ = WriteScript("get-token",
                        R"(echo '{"access_token":"t","expires_in":3600}')");
  auto instance = Create({{"command", {script_}}});
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto first = (*instance)->Fetch();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->expires_at, clock_.Now() + absl::Hours(1));
  clock_.Advance(absl::Minutes(10));
  auto second = (*instance)->Fetch();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->expires_at, clock_.Now() + absl::Hours(1));
}

TEST_F(CommandProviderTest, FractionalExpiresInIsHonoured) {
  auto token = FetchFrom(R"(echo '{"access_token":"t","expires_in":1.5}')");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->expires_at, clock_.Now() + absl::Milliseconds(1500));
}

TEST_F(CommandProviderTest, ExpiresAtInUtc) {
  auto token = FetchFrom(
      R"(echo '{"access_token":"t","expires_at":"2026-11-22T10:00:00Z"}')");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->expires_at,
            absl::FromCivil(absl::CivilSecond(2026, 11, 22, 10, 0, 0),
                            absl::UTCTimeZone()));
}

TEST_F(CommandProviderTest, ExpiresAtWithOffsetAndFraction) {
  auto token = FetchFrom(
      R"(echo '{"access_token":"t","expires_at":"2026-11-22T12:00:00.25+02:00"}')");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->expires_at,
            absl::FromCivil(absl::CivilSecond(2026, 11, 22, 10, 0, 0),
                            absl::UTCTimeZone()) +
                absl::Milliseconds(250));
}

TEST_F(CommandProviderTest, EarlierOfTwoExpiriesWins) {
  // expires_in (the clock starts in 2027) is earlier than expires_at here.
  auto token = FetchFrom(R"(echo '{"access_token":"t","expires_in":60,)"
                         R"("expires_at":"2099-01-01T00:00:00Z"}')");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->expires_at, clock_.Now() + absl::Seconds(60));
}

TEST_F(CommandProviderTest, MalformedExpiryIsAnError) {
  auto at = FetchFrom(R"(echo '{"access_token":"t","expires_at":"tomorrow"}')");
  EXPECT_TRUE(absl::IsUnavailable(at.status()));
  EXPECT_EQ(at.status().message(),
            Named() +
                " printed an invalid \"expires_at\": it must be an RFC 3339 "
                "time such as 2026-11-22T10:00:00Z");
  auto in = FetchFrom(R"(echo '{"access_token":"t","expires_in":"soon"}')");
  EXPECT_TRUE(absl::IsUnavailable(in.status()));
  EXPECT_THAT(in.status().message(), HasSubstr("invalid \"expires_in\""));
  auto negative = FetchFrom(R"(echo '{"access_token":"t","expires_in":-5}')");
  EXPECT_THAT(negative.status().message(), HasSubstr("invalid \"expires_in\""));
}

TEST_F(CommandProviderTest, SilentCommandIsInvalidJson) {
  auto token = FetchFrom("exit 0");
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_THAT(token.status().message(),
              HasSubstr(Named() + " printed invalid JSON (line 1, column 1)"));
}

TEST_F(CommandProviderTest, GarbageIsInvalidJsonAndNeverEchoed) {
  auto token = FetchFrom("echo 'SECRET-GARBAGE tok_live_abc'");
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_EQ(token.status().message(),
            Named() + " printed invalid JSON (line 1, column 1)");
  EXPECT_THAT(token.status().message(),
              AllOf(Not(HasSubstr("SECRET")), Not(HasSubstr("tok_live"))));
}

TEST_F(CommandProviderTest, InvalidJsonPositionCountsLines) {
  auto token = FetchFrom(R"(printf '{\n  "access_token": s3cr3t\n}\n')");
  EXPECT_EQ(token.status().message(),
            Named() + " printed invalid JSON (line 2, column 19)");
}

TEST_F(CommandProviderTest, TwoObjectsAreInvalidJson) {
  auto token =
      FetchFrom(R"(echo '{"access_token":"a"}'; echo '{"access_token":"b"}')");
  EXPECT_THAT(token.status().message(),
              HasSubstr("printed invalid JSON (line 2, column 1)"));
}

TEST_F(CommandProviderTest, JsonThatIsNotAnObjectIsRefused) {
  auto token = FetchFrom(R"(echo '["tok"]')");
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_EQ(token.status().message(),
            Named() + " printed a JSON array, not one JSON object");
}

TEST_F(CommandProviderTest, MissingOrEmptyAccessTokenIsAnError) {
  for (const char* body :
       {R"(echo '{"token":"tok-1"}')", R"(echo '{"access_token":""}')",
        R"(echo '{"access_token":null}')"}) {
    auto token = FetchFrom(body);
    EXPECT_TRUE(absl::IsUnavailable(token.status())) << body;
    EXPECT_EQ(token.status().message(),
              Named() + " printed no \"access_token\"")
        << body;
  }
}

TEST_F(CommandProviderTest, AccessTokenMustBeAPlainString) {
  auto number = FetchFrom(R"(echo '{"access_token":42}')");
  EXPECT_THAT(number.status().message(),
              HasSubstr("printed an \"access_token\" that is not a string"));
  // A newline would split an HTTP header.
  auto newline =
      FetchFrom(R"(printf '%s\n' '{"access_token":"a\r\nX-Evil: 1"}')");
  EXPECT_THAT(newline.status().message(),
              AllOf(HasSubstr("containing control characters"),
                    Not(HasSubstr("Evil"))));
}

TEST_F(CommandProviderTest, OutputOver64KiBIsRefused) {
  auto token = FetchFrom(
      "printf '{\"access_token\":\"'\n"
      "head -c 71680 /dev/zero | tr '\\0' a\n"
      "printf '\"}'");
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_THAT(token.status().message(),
              AllOf(HasSubstr(Named() + " printed more than 64 KiB"),
                    Not(HasSubstr("aaaa"))));
}

TEST_F(CommandProviderTest, OutputJustUnder64KiBIsRead) {
  // Arrives in several reads: the limit is on the total, not on one read.
  auto token = FetchFrom(
      "printf '{\"access_token\":\"'\n"
      "head -c 60000 /dev/zero | tr '\\0' a\n"
      "printf '\"}'");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, std::string(60000, 'a'));
}

TEST_F(CommandProviderTest, StderrIsNotMistakenForOutput) {
  auto token = FetchFrom(
      R"(echo 'progress: fetching...' >&2; echo '{"access_token":"t"}')");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "t");
}

}  // namespace
}  // namespace mcpcred::command_test

#include "plugins/oauth2/discovery/token_response.h"

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace mcpcred::oauth2 {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;
using ::testing::StartsWith;
using Json = nlohmann::json;

constexpr char kTokenUrl[] = "https://auth.example.com/token";
constexpr char kAccess[] = "at-SECRET-0123456789abcdef";
constexpr char kRefresh[] = "rt-SECRET-fedcba9876543210";

TokenResult Parse(int status, const Json& body) {
  return ParseTokenResponse(status, body.dump(), kTokenUrl);
}

// The tokens are wiped wherever a TokenSet goes: they are SecretStrings.
TEST(TokenSetTest, HoldsTokensInWipingStrings) {
  static_assert(std::is_same_v<decltype(TokenSet::access_token), SecretString>);
  static_assert(std::is_same_v<decltype(TokenSet::refresh_token),
                               std::optional<SecretString>>);
}

TEST(ParseTokenResponseTest, Success) {
  TokenResult result = Parse(200, {{"access_token", kAccess},
                                   {"token_type", "Bearer"},
                                   {"expires_in", 3600},
                                   {"refresh_token", kRefresh},
                                   {"scope", "mcp:read offline_access"},
                                   {"id_token", "ignored.jwt.value"}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.tokens().access_token, kAccess);
  EXPECT_EQ(result.tokens().token_type, "Bearer");
  EXPECT_THAT(result.tokens().expires_in, Optional(3600));
  EXPECT_THAT(result.tokens().refresh_token, Optional(std::string(kRefresh)));
  EXPECT_THAT(result.tokens().scope,
              Optional(std::string("mcp:read offline_access")));
}

TEST(ParseTokenResponseTest, MinimalSuccessAndTokenTypeCase) {
  for (const char* type : {"bearer", "BEARER", "Bearer"}) {
    TokenResult result =
        Parse(200, {{"access_token", kAccess}, {"token_type", type}});
    ASSERT_TRUE(result.ok()) << type;
    EXPECT_EQ(result.tokens().token_type, "Bearer");
    EXPECT_FALSE(result.tokens().expires_in.has_value());
    EXPECT_FALSE(result.tokens().refresh_token.has_value());
    EXPECT_FALSE(result.tokens().scope.has_value());
  }
  // A missing token_type is taken as Bearer; 201 is a success too.
  EXPECT_TRUE(Parse(201, {{"access_token", kAccess}}).ok());
  // An empty refresh_token is no refresh token.
  TokenResult empty_refresh =
      Parse(200, {{"access_token", kAccess}, {"refresh_token", ""}});
  ASSERT_TRUE(empty_refresh.ok());
  EXPECT_FALSE(empty_refresh.tokens().refresh_token.has_value());
}

TEST(ParseTokenResponseTest, ExpiresInForms) {
  struct Case {
    Json value;
    std::optional<int64_t> expected;
  };
  for (const Case& c : {
           Case{3600, 3600},
           Case{0, 0},
           Case{"3600", 3600},
           Case{59.9, 59},
           Case{-5, std::nullopt},
           Case{-0.5, std::nullopt},
           Case{"", std::nullopt},
           Case{"12s", std::nullopt},
           Case{" 12", std::nullopt},
           Case{"-12", std::nullopt},
           Case{true, std::nullopt},
           Case{nullptr, std::nullopt},
           Case{Json::array({1}), std::nullopt},
           Case{"99999999999999999999999", std::nullopt},
           Case{18446744073709551615ull, 1000000000},
           Case{1e300, 1000000000},
           Case{"999999999999", 1000000000},
       }) {
    TokenResult result =
        Parse(200, {{"access_token", kAccess}, {"expires_in", c.value}});
    ASSERT_TRUE(result.ok()) << c.value.dump();
    EXPECT_EQ(result.tokens().expires_in, c.expected) << c.value.dump();
  }
}

TEST(ParseTokenResponseTest, ErrorKinds) {
  struct Case {
    const char* error;
    int status;
    TokenErrorKind kind;
  };
  for (const Case& c : {
           Case{"invalid_grant", 400, TokenErrorKind::kLoginRequired},
           Case{"temporarily_unavailable", 503, TokenErrorKind::kRetryable},
           Case{"temporarily_unavailable", 400, TokenErrorKind::kRetryable},
           Case{"server_error", 500, TokenErrorKind::kRetryable},
           Case{"authorization_pending", 400,
                TokenErrorKind::kAuthorizationPending},
           Case{"slow_down", 400, TokenErrorKind::kSlowDown},
           Case{"expired_token", 400, TokenErrorKind::kExpiredToken},
           Case{"access_denied", 400, TokenErrorKind::kAccessDenied},
           Case{"invalid_client", 401, TokenErrorKind::kFatal},
           Case{"unauthorized_client", 400, TokenErrorKind::kFatal},
           Case{"invalid_scope", 400, TokenErrorKind::kFatal},
           Case{"invalid_request", 400, TokenErrorKind::kFatal},
           Case{"unsupported_grant_type", 400, TokenErrorKind::kFatal},
           Case{"invalid_target", 400, TokenErrorKind::kFatal},
           Case{"something_new", 400, TokenErrorKind::kFatal},
           Case{"something_new", 502, TokenErrorKind::kRetryable},
           Case{"something_new", 429, TokenErrorKind::kRetryable},
           // GitHub answers device flow polls with 200 and an error.
           Case{"authorization_pending", 200,
                TokenErrorKind::kAuthorizationPending},
       }) {
    TokenResult result = Parse(c.status, {{"error", c.error}});
    ASSERT_FALSE(result.ok()) << c.error;
    EXPECT_EQ(result.error().kind, c.kind)
        << c.error << " " << c.status << " got "
        << TokenErrorKindName(result.error().kind);
    EXPECT_EQ(result.error().error, c.error);
    EXPECT_THAT(result.error().message, StartsWith("token endpoint "));
  }
}

TEST(ParseTokenResponseTest, ErrorMessageCarriesDescriptionOnOneLine) {
  TokenResult result = Parse(
      400, {{"error", "invalid_grant"},
            {"error_description", "Refresh token\r\nexpired"},
            {"error_uri", "https://auth.example.com/docs#invalid_grant"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "token endpoint https://auth.example.com/token answered HTTP 400 "
            "invalid_grant: Refresh token  expired (see "
            "https://auth.example.com/docs#invalid_grant)");
}

TEST(ParseTokenResponseTest, LongDescriptionIsCapped) {
  TokenResult result =
      Parse(400, {{"error", "invalid_request"},
                  {"error_description", std::string(5000, 'd')}});
  ASSERT_FALSE(result.ok());
  EXPECT_LT(result.error().message.size(), 330u);
  EXPECT_THAT(result.error().message, HasSubstr(std::string(200, 'd') + "..."));
}

TEST(ParseTokenResponseTest, HttpStatusWithoutAnErrorBody) {
  struct Case {
    int status;
    const char* body;
    TokenErrorKind kind;
  };
  for (const Case& c : {
           Case{500, "<html>oops</html>", TokenErrorKind::kRetryable},
           Case{502, "", TokenErrorKind::kRetryable},
           Case{503, "{}", TokenErrorKind::kRetryable},
           Case{429, "slow", TokenErrorKind::kRetryable},
           Case{408, "", TokenErrorKind::kRetryable},
           Case{400, "<html>bad</html>", TokenErrorKind::kFatal},
           Case{401, "", TokenErrorKind::kFatal},
           Case{404, "{\"error\": 5}", TokenErrorKind::kFatal},
           Case{302, "", TokenErrorKind::kFatal},
       }) {
    TokenResult result = ParseTokenResponse(c.status, c.body, kTokenUrl);
    ASSERT_FALSE(result.ok()) << c.status;
    EXPECT_EQ(result.error().kind, c.kind) << c.status;
    EXPECT_THAT(result.error().message,
                StartsWith(std::string("token endpoint ") + kTokenUrl +
                           " answered HTTP " + std::to_string(c.status)));
  }
  EXPECT_THAT(ParseTokenResponse(302, "", kTokenUrl).error().message,
              HasSubstr("redirects are not followed"));
}

TEST(ParseTokenResponseTest, MalformedSuccessIsRetryable) {
  for (const char* body : {"", "not json", "[1]", "{\"access_token\":", "{}",
                           "{\"access_token\": 12}", "{\"access_token\": \"\"}",
                           "{\"error\": {\"code\": 1}}"}) {
    TokenResult result = ParseTokenResponse(200, body, kTokenUrl);
    ASSERT_FALSE(result.ok()) << body;
    EXPECT_EQ(result.error().kind, TokenErrorKind::kRetryable) << body;
    EXPECT_THAT(result.error().message,
                StartsWith("malformed token response from "
                           "https://auth.example.com/token"))
        << body;
  }
}

TEST(ParseTokenResponseTest, RefusesTokensUnsafeInAHeader) {
  TokenResult result = Parse(200, {{"access_token", "abc\r\nX-Injected: 1"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, TokenErrorKind::kRetryable);
  EXPECT_THAT(result.error().message, Not(HasSubstr("Injected")));
  result = Parse(200, {{"access_token", kAccess},
                       {"refresh_token", std::string("r\nt-SECRET")}});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, Not(HasSubstr("SECRET")));
}

TEST(ParseTokenResponseTest, OnlyBearerTokens) {
  TokenResult result =
      Parse(200, {{"access_token", kAccess}, {"token_type", "DPoP"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, TokenErrorKind::kFatal);
  EXPECT_EQ(result.error().message,
            "token endpoint https://auth.example.com/token issued a \"DPoP\" "
            "token; only Bearer tokens are supported");
  EXPECT_THAT(result.error().message, Not(HasSubstr(kAccess)));
}

TEST(ParseTokenResponseTest, TokensNeverAppearInMessages) {
  // A hostile or buggy server echoing tokens back in every text field.
  const std::string echo = std::string("leak ") + kAccess + " and " + kRefresh;
  std::vector<TokenResult> results = {
      Parse(400, {{"error", "invalid_grant"},
                  {"error_description", echo},
                  {"error_uri", echo},
                  {"access_token", kAccess},
                  {"refresh_token", kRefresh}}),
      Parse(200, {{"access_token", kAccess},
                  {"refresh_token", kRefresh},
                  {"token_type", echo}}),
      Parse(400, {{"error", kAccess}, {"access_token", kAccess}}),
  };
  // Secrets the caller sent (the refresh token being redeemed) are redacted
  // even when the body does not carry them.
  results.push_back(ParseTokenResponse(
      400,
      Json({{"error", "invalid_grant"},
            {"error_description",
             std::string("refresh token ") + kRefresh + " was revoked"}})
          .dump(),
      kTokenUrl, {kRefresh}));
  for (const TokenResult& result : results) {
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(result.error().message, Not(HasSubstr(kAccess)));
    EXPECT_THAT(result.error().message, Not(HasSubstr(kRefresh)));
    EXPECT_THAT(result.error().message, Not(HasSubstr("SECRET")));
    EXPECT_THAT(result.error().message, Not(HasSubstr("\n")));
  }
  EXPECT_THAT(results.back().error().message,
              HasSubstr("refresh token [redacted] was revoked"));
}

TEST(ParseTokenResponseTest, RedactsBeforeTruncating) {
  // A token straddling the 200-byte cut must not leave its prefix behind.
  std::string description = std::string(190, 'x') + kRefresh;
  TokenResult result = ParseTokenResponse(
      400,
      Json({{"error", "invalid_grant"}, {"error_description", description}})
          .dump(),
      kTokenUrl, {kRefresh});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, Not(HasSubstr("rt-SEC")));
}

TEST(ToStatusTest, MapsKindsToCodes) {
  struct Case {
    TokenErrorKind kind;
    absl::StatusCode code;
  };
  for (const Case& c : {
           Case{TokenErrorKind::kLoginRequired,
                absl::StatusCode::kFailedPrecondition},
           Case{TokenErrorKind::kRetryable, absl::StatusCode::kUnavailable},
           Case{TokenErrorKind::kAuthorizationPending,
                absl::StatusCode::kUnavailable},
           Case{TokenErrorKind::kSlowDown, absl::StatusCode::kUnavailable},
           Case{TokenErrorKind::kExpiredToken,
                absl::StatusCode::kDeadlineExceeded},
           Case{TokenErrorKind::kAccessDenied,
                absl::StatusCode::kPermissionDenied},
           Case{TokenErrorKind::kFatal, absl::StatusCode::kInvalidArgument},
       }) {
    TokenError error;
    error.kind = c.kind;
    error.message = "m";
    absl::Status status = ToStatus(error);
    EXPECT_EQ(status.code(), c.code) << TokenErrorKindName(c.kind);
    EXPECT_EQ(status.message(), "m");
  }
}

}  // namespace
}  // namespace mcpcred::oauth2

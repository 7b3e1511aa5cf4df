#include "plugins/github_app/installation_token.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "gtest/gtest.h"
#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/github_app/app_jwt.h"

namespace mcpcred::github_app {
namespace {

TEST(AccessTokensUrlTest, JoinsBaseAndInstallation) {
  EXPECT_EQ(AccessTokensUrl("https://api.github.com", 678),
            "https://api.github.com/app/installations/678/access_tokens");
  EXPECT_EQ(AccessTokensUrl("https://ghe.example/api/v3/", 1),
            "https://ghe.example/api/v3/app/installations/1/access_tokens");
}

TEST(AccessTokensBodyTest, OnlyNamesWhatIsConfigured) {
  EXPECT_EQ(AccessTokensBody({}, {}), "{}");
  EXPECT_EQ(
      nlohmann::json::parse(AccessTokensBody({{"contents", "read"}}, {"w"})),
      nlohmann::json::parse(
          R"({"permissions":{"contents":"read"},"repositories":["w"]})"));
}

TEST(ParseResponseTest, TokenAndExpiry) {
  MintResult r = ParseAccessTokensResponse(
      201, R"({"token":"ghs_x","expires_at":"2027-01-15T08:00:00Z"})");
  EXPECT_EQ(r.code, MCPCRED_OK);
  EXPECT_EQ(r.token.token, "ghs_x");
  EXPECT_EQ(r.token.expires_at_ms, 1800000000000);
}

TEST(ParseResponseTest, ErrorsCarryGitHubsMessageOnOneLine) {
  MintResult r = ParseAccessTokensResponse(
      403, R"({"message":"Resource not\naccessible by integration"})");
  EXPECT_EQ(r.code, MCPCRED_ERR_PERMISSION);
  EXPECT_EQ(r.message,
            "GitHub answered 403: Resource not accessible by integration");
  EXPECT_EQ(ParseAccessTokensResponse(502, "<html>").code,
            MCPCRED_ERR_UNAVAILABLE);
  EXPECT_EQ(ParseAccessTokensResponse(502, "<html>").message,
            "GitHub answered 502: no message");
}

TEST(ParseResponseTest, MalformedSuccessIsAnError) {
  EXPECT_EQ(ParseAccessTokensResponse(201, "{").code, MCPCRED_ERR_UNAVAILABLE);
  EXPECT_EQ(ParseAccessTokensResponse(201, R"({"token":"t"})").message,
            "GitHub's answer has no valid \"expires_at\"");
  EXPECT_EQ(
      ParseAccessTokensResponse(201, R"({"expires_at":"2027-01-15T08:00:00Z"})")
          .message,
      "GitHub's answer has no \"token\"");
}

TEST(AppJwtTest, ClaimsFollowGitHubsRules) {
  EVP_PKEY* raw = EVP_RSA_gen(2048);
  PrivateKey key(raw);
  const std::string jwt(SignAppJwt(key.get(), 12345, 1'800'000'000).view());
  size_t dot1 = jwt.find('.');
  size_t dot2 = jwt.find('.', dot1 + 1);
  ASSERT_NE(dot2, std::string::npos);
  std::string payload_b64 = jwt.substr(dot1 + 1, dot2 - dot1 - 1);
  for (char& c : payload_b64) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (payload_b64.size() % 4 != 0) payload_b64.push_back('=');
  std::string payload(payload_b64.size(), '\0');
  int n = EVP_DecodeBlock(
      reinterpret_cast<unsigned char*>(payload.data()),
      reinterpret_cast<const unsigned char*>(payload_b64.data()),
      static_cast<int>(payload_b64.size()));
  payload.resize(static_cast<size_t>(n));
  while (!payload.empty() && payload.back() == '\0') payload.pop_back();
  nlohmann::json claims = nlohmann::json::parse(payload);
  EXPECT_EQ(claims["iat"], 1'800'000'000 - 60);
  EXPECT_EQ(claims["exp"], 1'800'000'000 - 60 + 600);
  EXPECT_EQ(claims["iss"], "12345");
}

TEST(Base64UrlTest, NoPaddingUrlAlphabet) {
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64Url(""), "");
}

}  // namespace
}  // namespace mcpcred::github_app

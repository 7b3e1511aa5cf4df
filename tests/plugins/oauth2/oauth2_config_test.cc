#include "plugins/oauth2/oauth2_config.h"

#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace mcpcred::oauth2 {
namespace {

// Parses `extra` merged into a minimal valid config; the bad key in *key.
absl::StatusOr<OAuth2Config> Parse(const nlohmann::json& extra,
                                   std::string* key) {
  nlohmann::json j = {{"resource", "https://mcp.example.com/mcp"}};
  j.update(extra);
  return ParseOAuth2Config(j.dump(), key);
}

TEST(OAuth2ConfigTest, ReadsTheNewKeys) {
  std::string key;
  absl::StatusOr<OAuth2Config> c =
      Parse({{"client_metadata_url", "https://app.example.com/client.json"},
             {"account", "work@example.com"},
             {"login_hint", "me@example.com"},
             {"token_endpoint_auth_method", "client_secret_post"},
             {"client_id", "c"},
             {"client_secret", "env:S"}},
            &key);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->client_metadata_url, "https://app.example.com/client.json");
  EXPECT_EQ(c->account, "work@example.com");
  EXPECT_EQ(c->login_hint, "me@example.com");
  EXPECT_EQ(c->auth_method, AuthMethod::kClientSecretPost);
}

TEST(OAuth2ConfigTest, EachMistakeNamesItsKey) {
  const struct {
    nlohmann::json extra;
    const char* key;
  } cases[] = {
      {{{"client_metadata_url", "http://app.example.com/c.json"}},
       "client_metadata_url"},
      {{{"token_endpoint_auth_method", "tls_client_auth"}},
       "token_endpoint_auth_method"},
      {{{"token_endpoint_auth_method", "private_key_jwt"}, {"client_id", "c"}},
       "private_key"},
      {{{"token_endpoint_auth_method", "client_secret_basic"}},
       "client_secret"},
      {{{"private_key", "file:/k.pem"}}, "client_id"},
      {{{"private_key", "file:/k.pem"},
        {"client_secret", "env:S"},
        {"client_id", "c"}},
       "private_key"},
      {{{"grant", "client_credentials"}, {"client_id", "c"}}, "client_secret"},
      {{{"grant", "id_jag"}}, "idp_token_endpoint"},
      {{{"grant", "id_jag"}, {"idp_token_endpoint", "https://idp/token"}},
       "identity_assertion"},
      {{{"grant", "id_jag"},
        {"idp_token_endpoint", "https://idp/token"},
        {"identity_assertion", "file:/id"}},
       "client_id"},
      {{{"identity_assertion_type", "jwt"}}, "identity_assertion_type"},
      {{{"account", "a b"}}, "account"},
      {{{"grant", "password"}}, "grant"},
  };
  for (const auto& c : cases) {
    std::string key;
    absl::StatusOr<OAuth2Config> got = Parse(c.extra, &key);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument)
        << c.extra;
    EXPECT_EQ(key, c.key) << c.extra;
  }
}

TEST(OAuth2ConfigTest, ClientCredentialsWithAPrivateKeyAndIdJag) {
  std::string key;
  absl::StatusOr<OAuth2Config> cc = Parse({{"grant", "client_credentials"},
                                           {"client_id", "svc"},
                                           {"private_key", "file:/k.pem"}},
                                          &key);
  ASSERT_TRUE(cc.ok()) << cc.status();
  EXPECT_EQ(cc->grant, Grant::kClientCredentials);
  absl::StatusOr<OAuth2Config> jag =
      Parse({{"grant", "id_jag"},
             {"client_id", "c"},
             {"client_secret", "env:S"},
             {"idp_token_endpoint", "https://idp.example.com/token"},
             {"idp_client_id", "idp-c"},
             {"identity_assertion", "file:/id_token"}},
            &key);
  ASSERT_TRUE(jag.ok()) << jag.status();
  EXPECT_EQ(jag->grant, Grant::kIdJag);
  EXPECT_EQ(jag->identity_assertion_type, "id_token");
}

}  // namespace
}  // namespace mcpcred::oauth2

#include "plugins/oauth2/client_auth.h"

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcred/common/secret_encodings.h"
#include "nlohmann/json.hpp"
#include "plugins/sdk/jws.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(ChooseAuthMethodTest, TheServersListDecides) {
  const std::vector<std::string> none = {"none"};
  const std::vector<std::string> post = {"client_secret_post"};
  const std::vector<std::string> both = {"client_secret_post",
                                         "client_secret_basic"};
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "", false, false, both),
            AuthMethod::kNone);
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "", true, false, {}),
            AuthMethod::kClientSecretBasic);  // RFC 8414 default
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "", true, false, both),
            AuthMethod::kClientSecretBasic);
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "", true, false, post),
            AuthMethod::kClientSecretPost);
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "", true, false, none),
            AuthMethod::kNone);
}

TEST(ChooseAuthMethodTest, ConfiguredThenKeyThenRegistration) {
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kClientSecretPost, "", true, false,
                             {"client_secret_basic"}),
            AuthMethod::kClientSecretPost);
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "", false, true, {}),
            AuthMethod::kPrivateKeyJwt);
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "client_secret_post", true,
                             false, {}),
            AuthMethod::kClientSecretPost);
  EXPECT_EQ(ChooseAuthMethod(AuthMethod::kAuto, "none", false, false, {}),
            AuthMethod::kNone);
}

int64_t kNow = 1700000000;

TEST(AddClientAuthenticationTest, BasicPostAndNone) {
  FormParams form;
  auto headers = AddClientAuthentication(
      {"a b", "s:1", AuthMethod::kClientSecretBasic, nullptr}, "iss", kNow,
      &form);
  ASSERT_TRUE(headers.ok());
  EXPECT_TRUE(form.empty());
  // RFC 6749 2.3.1: the form-encoded id and secret, then base64.
  EXPECT_THAT(*headers,
              ElementsAre(Pair("Authorization",
                               "Basic " + Base64Encode("a+b:s%3A1", false))));
  form.clear();
  headers = AddClientAuthentication(
      {"c", "s", AuthMethod::kClientSecretPost, nullptr}, "iss", kNow, &form);
  EXPECT_TRUE(headers->empty());
  EXPECT_THAT(form,
              ElementsAre(Pair("client_id", "c"), Pair("client_secret", "s")));
  form.clear();
  headers = AddClientAuthentication({"c", "", AuthMethod::kNone, nullptr},
                                    "iss", kNow, &form);
  EXPECT_THAT(form, ElementsAre(Pair("client_id", "c")));
}

std::string Base64UrlDecode(const std::string& text) {
  std::string b64 = text;
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4 != 0) b64 += '=';
  std::string out(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

TEST(AddClientAuthenticationTest, PrivateKeyJwtSignsAnEs256Assertion) {
  plugin::PrivateKey key(EVP_EC_gen("P-256"));
  ASSERT_NE(key, nullptr);
  FormParams form;
  auto headers = AddClientAuthentication(
      {"svc", "", AuthMethod::kPrivateKeyJwt, key.get()},
      "https://as.example.com", kNow, &form);
  ASSERT_TRUE(headers.ok()) << headers.status();
  ASSERT_EQ(form.size(), 3u);
  EXPECT_THAT(form[0], Pair("client_id", "svc"));
  EXPECT_THAT(form[1],
              Pair("client_assertion_type",
                   "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
  std::vector<std::string> parts = absl::StrSplit(form[2].second, '.');
  ASSERT_EQ(parts.size(), 3u);
  nlohmann::json header = nlohmann::json::parse(Base64UrlDecode(parts[0]));
  nlohmann::json claims = nlohmann::json::parse(Base64UrlDecode(parts[1]));
  EXPECT_EQ(header["alg"], "ES256");
  EXPECT_EQ(claims["iss"], "svc");
  EXPECT_EQ(claims["sub"], "svc");
  EXPECT_EQ(claims["aud"], "https://as.example.com");
  EXPECT_EQ(claims["exp"].get<int64_t>(), kNow + 300);
  EXPECT_EQ(claims["jti"].get<std::string>().size(), 43u);
  // The raw R||S signature, verified with the public key.
  std::string signature = Base64UrlDecode(parts[2]);
  ASSERT_EQ(signature.size(), 64u);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(
      sig,
      BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), 32,
                nullptr),
      BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data() + 32),
                32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  const std::string input = parts[0] + "." + parts[1];
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ASSERT_EQ(
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.get()), 1);
  EXPECT_EQ(
      EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len),
                       reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()),
      1);
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
}

}  // namespace
}  // namespace mcpcred::oauth2

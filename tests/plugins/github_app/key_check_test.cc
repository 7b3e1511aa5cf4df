// The check of a GitHub App key at load (without OpenSSL) says what the
// parse at the first fetch (OpenSSL) would say, for every kind of key a
// person may point private_key at.
#include "plugins/github_app/key_check.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "plugins/github_app/app_jwt.h"

namespace mcpcred::github_app {
namespace {

enum class Form { kPkcs8, kPkcs1, kEncrypted, kPublic };

std::string Pem(EVP_PKEY* key, Form form) {
  BIO* bio = BIO_new(BIO_s_mem());
  switch (form) {
    case Form::kPkcs8:
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
      break;
    case Form::kPkcs1:
      PEM_write_bio_PrivateKey_traditional(bio, key, nullptr, nullptr, 0,
                                           nullptr, nullptr);
      break;
    case Form::kEncrypted:
      PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), nullptr, 0,
                                    nullptr, const_cast<char*>("pass"));
      break;
    case Form::kPublic:
      PEM_write_bio_PUBKEY(bio, key);
      break;
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

// What the check at load says, and what the parse says.
struct Verdicts {
  bool checked;
  std::string check_why;
  bool parsed;
  std::string parse_why;
};

Verdicts Judge(const std::string& pem) {
  Verdicts v;
  v.checked = CheckRsaKeyPem(pem, &v.check_why);
  v.parsed = ParseRsaPrivateKey(pem, &v.parse_why) != nullptr;
  return v;
}

void ExpectAgree(const std::string& pem, bool good, const std::string& what) {
  Verdicts v = Judge(pem);
  EXPECT_EQ(v.checked, good) << what << ": " << v.check_why;
  EXPECT_EQ(v.parsed, good) << what << ": " << v.parse_why;
  EXPECT_EQ(v.check_why, v.parse_why) << what;
}

TEST(KeyCheckTest, SaysWhatTheParseSays) {
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  EVP_PKEY* small = EVP_RSA_gen(1024);
  EVP_PKEY* ec = EVP_EC_gen("P-256");
  ASSERT_TRUE(rsa != nullptr && small != nullptr && ec != nullptr);

  ExpectAgree(Pem(rsa, Form::kPkcs8), true, "RSA-2048 PKCS#8");
  ExpectAgree(Pem(rsa, Form::kPkcs1), true, "RSA-2048 PKCS#1");
  ExpectAgree("some text\n" + Pem(rsa, Form::kPkcs1), true, "text before");
  ExpectAgree(Pem(small, Form::kPkcs8), false, "RSA-1024 PKCS#8");
  ExpectAgree(Pem(small, Form::kPkcs1), false, "RSA-1024 PKCS#1");
  ExpectAgree(Pem(ec, Form::kPkcs8), false, "EC PKCS#8");
  ExpectAgree(Pem(ec, Form::kPkcs1), false, "EC traditional");
  ExpectAgree(Pem(rsa, Form::kEncrypted), false, "encrypted PKCS#8");
  ExpectAgree(Pem(rsa, Form::kPublic), false, "a public key");
  ExpectAgree("not a key\n", false, "text");
  ExpectAgree("", false, "empty");
  std::string pem = Pem(rsa, Form::kPkcs8);
  ExpectAgree(pem.substr(0, pem.size() / 2), false, "cut in half");
  std::string bad_base64 = pem;
  bad_base64[40] = '*';
  ExpectAgree(bad_base64, false, "not base64");

  EVP_PKEY_free(rsa);
  EVP_PKEY_free(small);
  EVP_PKEY_free(ec);
}

// The check reads the armour and the fields up to the modulus: damage past
// them is found by the parse, at the first fetch.
TEST(KeyCheckTest, DamagePastTheModulusIsLeftToTheParse) {
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  ASSERT_NE(rsa, nullptr);
  std::string pem = Pem(rsa, Form::kPkcs1);
  EVP_PKEY_free(rsa);
  // RSAPrivateKey: SEQUENCE (30 82 LL LL), version (02 01 00), modulus
  // (02 82 01 01, 257 bytes), then publicExponent, whose tag is changed.
  constexpr absl::string_view kBegin = "-----BEGIN RSA PRIVATE KEY-----\n";
  constexpr absl::string_view kEnd = "-----END RSA PRIVATE KEY-----\n";
  std::string der;
  ASSERT_TRUE(absl::Base64Unescape(
      absl::StrReplaceAll(
          absl::string_view(pem).substr(
              kBegin.size(), pem.size() - kBegin.size() - kEnd.size()),
          {{"\n", ""}}),
      &der));
  constexpr size_t kExponentTag = 4 + 3 + 4 + 257;
  ASSERT_EQ(der[kExponentTag], '\x02');
  der[kExponentTag] = '\x05';
  std::string base64 = absl::Base64Escape(der);
  pem = std::string(kBegin);
  for (size_t i = 0; i < base64.size(); i += 64) {
    absl::StrAppend(&pem, base64.substr(i, 64), "\n");
  }
  absl::StrAppend(&pem, kEnd);
  std::string why;
  EXPECT_TRUE(CheckRsaKeyPem(pem, &why)) << why;
  EXPECT_EQ(ParseRsaPrivateKey(pem, &why), nullptr);
}

}  // namespace
}  // namespace mcpcred::github_app

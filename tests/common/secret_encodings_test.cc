#include "mcpcred/common/secret_encodings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

using ::testing::Contains;

TEST(SecretEncodingsTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode("", false), "");
  EXPECT_EQ(Base64Encode("f", false), "Zg==");
  EXPECT_EQ(Base64Encode("fo", false), "Zm8=");
  EXPECT_EQ(Base64Encode("foo", false), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar", false), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("\xfb\xff", false), "+/8=");
  EXPECT_EQ(Base64Encode("\xfb\xff", true), "-_8");
}

TEST(SecretEncodingsTest, JsonEscapesAsEncodersDo) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n\x01/", false, false),
            "a\\\"b\\\\c\\n\\u0001/");
  EXPECT_EQ(JsonEscape("a/b", true, false), "a\\/b");
  EXPECT_EQ(JsonEscape("\xc3\xa9\xf0\x9f\x94\x91", false, true),
            "\\u00E9\\uD83D\\uDD11");
}

TEST(SecretEncodingsTest, PercentAndFormEncoding) {
  EXPECT_EQ(PercentEncode("a b/c~", false), "a%20b%2Fc~");
  EXPECT_EQ(PercentEncode("a b", true), "a+b");
}

TEST(SecretEncodingsTest, Base64FormsAreFoundAtEveryOffset) {
  const std::string value = "token-0123456789";
  std::vector<SecretString> forms = EncodedForms(value);
  EXPECT_EQ(forms.front(), value);
  for (std::string prefix : {"", "a", "ab", "abc:"}) {
    const std::string encoded = Base64Encode(prefix + value + "!", false);
    bool found = false;
    for (const SecretString& form : forms) {
      found |=
          form.size() >= 16 && encoded.find(form.view()) != std::string::npos;
    }
    EXPECT_TRUE(found) << "prefix of " << prefix.size();
  }
}

TEST(SecretEncodingsTest, NoDuplicateForms) {
  std::vector<SecretString> forms = EncodedForms("plainalnum123");
  std::sort(forms.begin(), forms.end());
  EXPECT_EQ(std::adjacent_find(forms.begin(), forms.end()), forms.end());
  EXPECT_THAT(EncodedForms("a b"), Contains("a+b"));
}

}  // namespace
}  // namespace mcpcred

#include "mcpcred/common/stream_redactor.h"

#include <random>

#include "gtest/gtest.h"
#include "mcpcred/common/secret_encodings.h"

namespace mcpcred {
namespace {

// Plain values only, 4 bytes and up: the rules of matching, apart from the
// encodings and the default minimum length (tested below).
RedactResult RedactPlain(const std::string& text,
                         const std::vector<SecretValue>& secrets) {
  return Redact(text, *RedactionSet::Build(
                          secrets, {.encoded_forms = false, .min_length = 4}));
}

TEST(StreamRedactorTest, ReplacesEveryOccurrenceWithTheCredentialName) {
  RedactResult r =
      RedactPlain("token=abcd1234 again abcd1234.", {{"abcd1234", "github"}});
  EXPECT_EQ(r.text, "token=[REDACTED:github] again [REDACTED:github].");
  EXPECT_EQ(r.replacements, 2u);
}

TEST(StreamRedactorTest, LongerValueWinsWhereValuesOverlap) {
  RedactResult r =
      RedactPlain("xx secret-long-value xx",
                  {{"secret", "short"}, {"secret-long-value", "long"}});
  EXPECT_EQ(r.text, "xx [REDACTED:long] xx");
}

TEST(StreamRedactorTest, TextWithoutSecretsIsUnchanged) {
  RedactResult r = RedactPlain("nothing to see", {{"abcd1234", "github"}});
  EXPECT_EQ(r.text, "nothing to see");
  EXPECT_EQ(r.replacements, 0u);
}

TEST(StreamRedactorTest, OverlappingOccurrencesLeaveNoByteBehind) {
  std::string text = std::string("\0", 1) + "k3yk3yk3y";
  RedactResult r = RedactPlain(text, {{"k3yk3y", "a"}, {"k3y!", "b"}});
  // "k3yk3y" occurs at 1 and at 4: both runs merge.
  EXPECT_EQ(r.text, std::string("\0", 1) + "[REDACTED:a]");
  EXPECT_EQ(r.replacements, 1u);
}

TEST(StreamRedactorTest, AShorterValueStartingEarlierDoesNotUnmaskALongerOne) {
  RedactResult r =
      RedactPlain("2025-11-22 tool output: using",
                  {{"5-11-22 to", "c2"}, {"ool output: us", "c3"}});
  EXPECT_EQ(r.text, "202[REDACTED:c3]ing");
}

TEST(StreamRedactorTest, ALongerValueStartingBeforeAShorterOneCoversIt) {
  RedactResult r =
      RedactPlain("x abcdefgh y", {{"bcde", "short"}, {"abcdefgh", "long"}});
  EXPECT_EQ(r.text, "x [REDACTED:long] y");
}

TEST(StreamRedactorTest, AdjacentOccurrencesStaySeparate) {
  RedactResult r = RedactPlain("abcdabcd", {{"abcd", "x"}});
  EXPECT_EQ(r.text, "[REDACTED:x][REDACTED:x]");
  EXPECT_EQ(r.replacements, 2u);
}

TEST(StreamRedactorTest, ShortValuesAreLeftAloneAndReported) {
  auto set = RedactionSet::Build(
      {{"the ", "tiny"}, {"abc", "tinier"}, {"long-enough-1", "fine"}});
  EXPECT_EQ(Redact("the abc long-enough-1", *set).text,
            "the abc [REDACTED:fine]");
  EXPECT_EQ(set->too_short(), (std::vector<std::string>{"tinier", "tiny"}));
}

TEST(StreamRedactorTest, EveryChunkingGivesTheSameOutput) {
  const std::vector<SecretValue> secrets = {{"ghp_abcdefghijklmnop", "gh"},
                                            {"sk-live-0123456789", "stripe"}};
  auto set = RedactionSet::Build(secrets);
  const std::string text =
      "a ghp_abcdefghijklmnop b sk-live-0123456789sk-live-0123456789 "
      "\"Z2hwX2FiY2RlZmdoaWprbG1ub3A=\" ghp_abcdefghijklmno end";
  const std::string whole = Redact(text, *set).text;
  EXPECT_EQ(whole.find("ghp_abcdefghijklmnop"), std::string::npos);
  std::mt19937 random(7);
  for (int round = 0; round < 300; ++round) {
    StreamRedactor redactor(set);
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
      size_t n = std::uniform_int_distribution<size_t>(0, 9)(random);
      n = std::min(n, text.size() - at);
      redactor.Write(std::string_view(text).substr(at, n), &out);
      at += n;
    }
    redactor.Finish(&out);
    ASSERT_EQ(out, whole) << "round " << round;
  }
}

TEST(StreamRedactorTest, OutputIsHeldBackOnlyWhileItMayBeAValue) {
  auto set = RedactionSet::Build({{"0123456789abcdef", "c"}},
                                 {.encoded_forms = false});
  StreamRedactor redactor(set);
  std::string out;
  const std::string plain = "hello world, this is plain text and ";
  redactor.Write(plain, &out);
  // At most the last 15 bytes may still be the start of a value.
  EXPECT_EQ(plain.compare(0, out.size(), out), 0);
  EXPECT_LE(plain.size() - out.size(), 15u);
  redactor.Write("0123456789abcdef!", &out);
  redactor.Finish(&out);
  EXPECT_EQ(out, "hello world, this is plain text and [REDACTED:c]!");
}

// Every encoded form of a value is masked where programs put them.
TEST(StreamRedactorTest, EncodedFormsAreRedacted) {
  const std::string secret = "s3cr3t/with+\"quote\" & space";
  auto set = RedactionSet::Build({{SecretString(secret), "api"}});
  const std::vector<std::string> leaks = {
      "{\"token\":\"" + JsonEscape(secret, false, false) + "\"}",
      "{\"token\":\"" + JsonEscape(secret, true, true) + "\"}",
      "Authorization: Basic " + Base64Encode("client:" + secret, false),
      "Authorization: Basic " + Base64Encode("id:" + secret, false),
      "data=" + Base64Encode("xy" + secret + "tail", true),
      "GET /cb?token=" + PercentEncode(secret, false),
      "token=" + PercentEncode(secret, true) + "&x=1",
  };
  for (const std::string& leak : leaks) {
    RedactResult r = Redact(leak, *set);
    EXPECT_GE(r.replacements, 1u) << leak;
    EXPECT_NE(r.text.find("[REDACTED:api]"), std::string::npos);
    // Nothing that still decodes to the value survives.
    EXPECT_EQ(r.text.find("s3cr3t"), std::string::npos) << r.text;
  }
}

TEST(StreamRedactorTest, AnEmptySetPassesEverythingThrough) {
  auto set = RedactionSet::Build({});
  StreamRedactor redactor(set);
  std::string out;
  redactor.Write("abc", &out);
  EXPECT_EQ(out, "abc");
  redactor.Finish(&out);
  EXPECT_EQ(out, "abc");
}

}  // namespace
}  // namespace mcpcred

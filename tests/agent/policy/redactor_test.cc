#include "agent/policy/redactor.h"

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(RedactorTest, ReplacesEveryOccurrenceWithTheCredentialName) {
  RedactResult r =
      Redact("token=abcd1234 again abcd1234.", {{"abcd1234", "github"}});
  EXPECT_EQ(r.text, "token=[REDACTED:github] again [REDACTED:github].");
  EXPECT_EQ(r.replacements, 2u);
}

TEST(RedactorTest, LongerValueWinsWhereValuesOverlap) {
  RedactResult r = Redact("xx secret-long-value xx",
                          {{"secret", "short"}, {"secret-long-value", "long"}});
  EXPECT_EQ(r.text, "xx [REDACTED:long] xx");
}

TEST(RedactorTest, TextWithoutSecretsIsUnchanged) {
  RedactResult r = Redact("nothing to see", {{"abcd1234", "github"}});
  EXPECT_EQ(r.text, "nothing to see");
  EXPECT_EQ(r.replacements, 0u);
}

TEST(RedactorTest, VeryShortValuesAreNotRedacted) {
  RedactResult r = Redact("a b c abc", {{"abc", "tiny"}});
  EXPECT_EQ(r.text, "a b c abc");
}

TEST(RedactorTest, OverlappingOccurrencesLeaveNoByteBehind) {
  std::string text = std::string("\0", 1) + "k3yk3yk3y";
  RedactResult r = Redact(text, {{"k3yk3y", "a"}, {"k3y!", "b"}});
  // "k3yk3y" occurs at 1 and at 4: both runs merge.
  EXPECT_EQ(r.text, std::string("\0", 1) + "[REDACTED:a]");
  EXPECT_EQ(r.replacements, 1u);
}

TEST(RedactorTest, AShorterValueStartingEarlierDoesNotUnmaskALongerOne) {
  // Found by the fuzzer: "5-11-22 to" starts before "ool output: us" and
  // overlaps it; greedy left-to-right matching left "ol output: us" behind.
  RedactResult r = Redact("2025-11-22 tool output: using",
                          {{"5-11-22 to", "c2"}, {"ool output: us", "c3"}});
  EXPECT_EQ(r.text, "202[REDACTED:c3]ing");
}

TEST(RedactorTest, AdjacentOccurrencesStaySeparate) {
  RedactResult r = Redact("abcdabcd", {{"abcd", "x"}});
  EXPECT_EQ(r.text, "[REDACTED:x][REDACTED:x]");
  EXPECT_EQ(r.replacements, 2u);
}

}  // namespace
}  // namespace mcpcred

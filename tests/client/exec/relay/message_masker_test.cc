#include "relay/message_masker.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcred/common/secret_encodings.h"

namespace mcpcred::exec::relay {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "tok-5Gq8ZrT2xWv9Lm3N";
constexpr char kOther[] = "agent-held-Hk29Vn31pQ";

std::shared_ptr<const RedactionSet> Set() {
  return RedactionSet::Build({{kSecret, "github"}, {kOther, "linear"}});
}

std::string RenderLine(MessageMasker& masker, const std::string& line) {
  Message message = ParseMessage(line);
  return masker.Render(
      line, message.kind == MessageKind::kInvalid ? nullptr : &message.json,
      false);
}

TEST(MessageMaskerTest, LineWithoutSecretsPassesByteForByte) {
  MessageMasker masker(Set());
  const std::string line =
      R"({"result":{"content":[{"type":"text","text":"hello"}]},  "id":7,"jsonrpc":"2.0"})";
  EXPECT_EQ(RenderLine(masker, line), line);
  EXPECT_TRUE(masker.TakeCounts().empty());
}

TEST(MessageMaskerTest, MasksStringsKeysAndNumbersAndStaysValidJson) {
  MessageMasker masker(Set());
  const std::string line =
      std::string(
          R"({"jsonrpc":"2.0","id":1,"result":{"env":{"GITHUB_TOKEN":")") +
      kSecret + R"(","k-)" + kOther + R"(":"v"},"list":["x )" + kSecret +
      R"( y"]}})";
  std::string out = RenderLine(masker, line);
  EXPECT_THAT(out, Not(HasSubstr(kSecret)));
  EXPECT_THAT(out, Not(HasSubstr(kOther)));
  Json parsed = Json::parse(out);
  EXPECT_EQ(parsed["result"]["env"]["GITHUB_TOKEN"], "[REDACTED:github]");
  EXPECT_TRUE(parsed["result"]["env"].contains("k-[REDACTED:linear]"));
  EXPECT_EQ(parsed["result"]["list"][0], "x [REDACTED:github] y");
  EXPECT_EQ(parsed["id"], 1);
  MessageMasker::Counts counts = masker.TakeCounts();
  EXPECT_EQ(counts["github"], 2u);
  EXPECT_EQ(counts["linear"], 1u);
  EXPECT_TRUE(masker.TakeCounts().empty());
  EXPECT_EQ(masker.total(), 3u);
}

TEST(MessageMaskerTest, NumberHoldingAValueBecomesAString) {
  MessageMasker masker(RedactionSet::Build({{"31415926535", "pin"}}));
  std::string out =
      RenderLine(masker, R"({"id":2,"result":{"n":31415926535}})");
  EXPECT_EQ(Json::parse(out)["result"]["n"], "[REDACTED:pin]");
}

TEST(MessageMaskerTest, EncodedFormsAreMasked) {
  MessageMasker masker(Set());
  for (const std::string& form :
       {Base64Encode(kSecret, false), Base64Encode(kSecret, true),
        PercentEncode(std::string("a b/") + kSecret, false),
        Base64Encode(std::string("GITHUB_TOKEN=") + kSecret + "\n", false)}) {
    std::string line =
        R"({"jsonrpc":"2.0","method":"notifications/message","params":{"data":")" +
        form + R"("}})";
    std::string out = RenderLine(masker, line);
    EXPECT_THAT(out, HasSubstr("[REDACTED:github]")) << form;
    EXPECT_FALSE(Json::parse(out, nullptr, false).is_discarded());
  }
}

TEST(MessageMaskerTest, UnicodeEscapesCannotHideAValue) {
  MessageMasker masker(Set());
  // Every character of the value written as \u00XX.
  std::string escaped;
  for (char c : std::string(kSecret)) {
    char buffer[8];
    std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
    escaped += buffer;
  }
  std::string out =
      RenderLine(masker, R"({"id":3,"result":{"t":")" + escaped + R"("}})");
  EXPECT_EQ(Json::parse(out)["result"]["t"], "[REDACTED:github]");
}

TEST(MessageMaskerTest, LineThatIsNotJsonIsMaskedInItsBytes) {
  MessageMasker masker(Set());
  std::string raw = std::string("not json ") + kSecret + " {\"x\":";
  EXPECT_EQ(RenderLine(masker, raw), "not json [REDACTED:github] {\"x\":");
}

TEST(MessageMaskerTest, NoSetPassesEverythingAndRewritesOnlyWhenModified) {
  MessageMasker masker;
  std::string line = std::string(R"({"id":5, "result":")") + kSecret + "\"}";
  EXPECT_EQ(RenderLine(masker, line), line);
  Json json = Json::parse(line);
  json["id"] = 9;
  EXPECT_EQ(masker.Render(line, &json, true),
            std::string(R"({"id":9,"result":")") + kSecret + "\"}");
}

TEST(MessageMaskerTest, MaskTextCountsPerCredential) {
  MessageMasker masker(Set());
  EXPECT_EQ(masker.MaskText(std::string(kOther) + "," + kOther),
            "[REDACTED:linear],[REDACTED:linear]");
  EXPECT_EQ(masker.TakeCounts()["linear"], 2u);
}

}  // namespace
}  // namespace mcpcred::exec::relay

// Masking what goes to the host: inside JSON strings (escapes undone), keys,
// encoded forms, raw text, one line always; counts per credential.
#include "masker.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace mcpcred::remote {
namespace {

constexpr char kToken[] = "tok-5f2b9c1e8a7d4f60b3a2";
constexpr char kOther[] = "agent-held-91c3e7a2b4d6f8";

v1::Credential MakeCredential(const std::string& token, uint64_t version) {
  v1::Credential credential;
  credential.set_name("linear");
  credential.set_token(token);
  credential.set_version(version);
  (*credential.mutable_headers())["Authorization"] = "Bearer " + token;
  credential.add_secret_header_names("Authorization");
  return credential;
}

class MaskerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(masker_.AddCredential(MakeCredential(kToken, 1)));
    v1::GetRedactionValuesResponse values;
    v1::RedactionValue* value = values.add_values();
    value->set_credential("github");
    value->set_value(kOther);
    values.set_min_length(8);
    masker_.SetAgentValues(values);
  }
  Masker masker_;
};

TEST_F(MaskerTest, CleanMessagePassesUnchanged) {
  std::string message = R"({"jsonrpc":"2.0","id":1,"result":{"a":  "b"}})";
  EXPECT_EQ(masker_.Mask(message), message);
  EXPECT_TRUE(masker_.TakeCounts().empty());
}

TEST_F(MaskerTest, MasksInsideStringValues) {
  nlohmann::json message = {
      {"jsonrpc", "2.0"},
      {"id", 1},
      {"result",
       {{"content",
         {{{"type", "text"},
           {"text", std::string("token is ") + kToken + " and " + kOther}}}}}}};
  std::string masked = masker_.Mask(message.dump());
  EXPECT_EQ(masked.find(kToken), std::string::npos);
  EXPECT_EQ(masked.find(kOther), std::string::npos);
  nlohmann::json parsed = nlohmann::json::parse(masked);
  EXPECT_EQ(parsed["result"]["content"][0]["text"],
            "token is [REDACTED:linear] and [REDACTED:github]");
  RedactionCounts counts = masker_.TakeCounts();
  EXPECT_EQ(counts["linear"], 1u);
  EXPECT_EQ(counts["github"], 1u);
  EXPECT_TRUE(masker_.TakeCounts().empty());
}

TEST_F(MaskerTest, EscapesDoNotHideAValue) {
  // "t" written as \u0074: the raw bytes never hold the token.
  std::string token = kToken;
  std::string escaped = "\\u0074" + token.substr(1);
  std::string message = R"({"id":1,"result":{"text":")" + escaped + R"("}})";
  std::string masked = masker_.Mask(message);
  EXPECT_EQ(nlohmann::json::parse(masked)["result"]["text"],
            "[REDACTED:linear]");
}

TEST_F(MaskerTest, MasksKeysAndEncodedForms) {
  std::string base64 = absl::Base64Escape(kToken);
  nlohmann::json message = {{"id", 1},
                            {"result", {{kToken, "k"}, {"b64", base64}}}};
  std::string masked = masker_.Mask(message.dump());
  EXPECT_EQ(masked.find(kToken), std::string::npos);
  EXPECT_EQ(masked.find(base64), std::string::npos);
  nlohmann::json parsed = nlohmann::json::parse(masked);
  EXPECT_TRUE(parsed["result"].contains("[REDACTED:linear]"));
}

TEST_F(MaskerTest, AlwaysOneLine) {
  std::string pretty = "{\n  \"id\": 1,\n  \"result\": {}\n}";
  std::string masked = masker_.Mask(pretty);
  EXPECT_EQ(masked.find('\n'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(masked)["id"], 1);
}

TEST_F(MaskerTest, RawTextWhenNotJson) {
  std::string masked =
      masker_.Mask(std::string("oops ") + kToken + "\nsecond line");
  EXPECT_EQ(masked, "oops [REDACTED:linear]\\nsecond line");
}

TEST_F(MaskerTest, EveryValueOfTheSessionStaysMasked) {
  const std::string rotated = "tok-rotated-0c9d8e7f6a5b4c3d";
  EXPECT_TRUE(masker_.AddCredential(MakeCredential(rotated, 2)));
  EXPECT_FALSE(masker_.AddCredential(MakeCredential(rotated, 2)));
  std::string masked = masker_.Mask(
      nlohmann::json({{"a", std::string(kToken) + rotated}}).dump());
  EXPECT_EQ(masked.find(kToken), std::string::npos);
  EXPECT_EQ(masked.find(rotated), std::string::npos);
}

TEST(CountLabelsTest, Counts) {
  RedactionCounts counts =
      CountLabels("[REDACTED:a] x [REDACTED:b][REDACTED:a] [REDACTED:");
  EXPECT_EQ(counts["a"], 2u);
  EXPECT_EQ(counts["b"], 1u);
  EXPECT_EQ(counts.size(), 2u);
}

TEST(MaskerEmptyTest, NothingToMask) {
  Masker masker;
  EXPECT_EQ(masker.Mask(R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(masker.Mask("not\njson"), "not\\njson");
}

}  // namespace
}  // namespace mcpcred::remote

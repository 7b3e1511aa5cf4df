// `mcpcred redact` and the redaction RPCs against the real agent: input far
// over gRPC's 4 MiB message limit, a value split at the CLI's 64 KiB read
// boundary, encoded forms, values kept after a reload, the values a relay
// asks for, and the short values `mcpcred status` names.
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcred/client.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;

class RedactTest : public AgentTest {};

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(RedactTest, StreamsInputOfAnySize) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  // 9 MiB of text; the secret straddles the first 64 KiB read, and appears
  // plain, in base64 and JSON-escaped further on.
  std::string text(9 << 20, 'x');
  for (size_t i = 80; i < text.size(); i += 81) text[i] = '\n';
  const size_t straddle = (64 << 10) - secret().size() / 2;
  text.replace(straddle, secret().size(), secret());
  const std::string b64 = absl::Base64Escape("user:" + secret());
  text.replace(5 << 20, b64.size(), b64);
  text.replace(8 << 20, secret().size(), secret());

  CommandResult result = Cli({"redact"}, {}, text);
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_FALSE(ContainsSecret(result.out));
  EXPECT_EQ(result.out.find(b64), std::string::npos);
  EXPECT_EQ(Count(result.out, "[REDACTED:gh]"), 3u);
  // Everything else is unchanged, byte for byte.
  EXPECT_TRUE(result.out.compare(0, straddle, text, 0, straddle) == 0);
  EXPECT_EQ(result.out.compare(straddle, 13, "[REDACTED:gh]"), 0);
  const size_t tail = text.size() - (8 << 20) - secret().size();
  EXPECT_TRUE(result.out.compare(result.out.size() - tail, tail, text,
                                 text.size() - tail, tail) == 0);
}

TEST_F(RedactTest, JsonOutputCountsReplacements) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  CommandResult result =
      Cli({"redact", "--json"}, {}, absl::StrCat("a ", secret(), " b"));
  ASSERT_EQ(result.exit_code, 0) << Show(result);
  EXPECT_THAT(result.out, HasSubstr("\"replacements\": 1"));
  EXPECT_THAT(result.out, HasSubstr("a [REDACTED:gh] b"));
}

TEST_F(RedactTest, AValueHandedOutStaysMaskedAfterAReload) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  ASSERT_EQ(Cli({"token", "gh"}).exit_code, 0);
  // The credential is gone from the config; the value is still out there.
  WriteConfig(StaticCredentialToml("other", "OTHER_SECRET"));
  ASSERT_EQ(Cli({"reload"}).exit_code, 0);
  CommandResult result = Cli({"redact"}, {}, absl::StrCat("x ", secret()));
  EXPECT_EQ(result.out, "x [REDACTED:gh]");
}

TEST_F(RedactTest, RelayValuesAndReportsAreAudited) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  ClientOptions options;
  options.socket_path = socket_path();
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());
  auto values = (*client)->GetRedactionValues();
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->values_size(), 1);
  EXPECT_EQ(values->values(0).credential(), "gh");
  EXPECT_TRUE(values->values(0).value() == secret());
  EXPECT_EQ(values->min_length(), 8u);
  v1::ReportRedactionsRequest report;
  report.set_source("test relay");
  (*report.mutable_counts())["gh"] = 3;
  ASSERT_TRUE((*client)->ReportRedactions(report).ok());
  std::string audit = ReadFileOrEmpty(audit_log_path());
  EXPECT_THAT(audit, HasSubstr("redaction-values"));
  EXPECT_THAT(audit, HasSubstr("masked 3"));
}

TEST_F(RedactTest, StatusNamesValuesTooShortToMask) {
  WriteConfig(StaticCredentialToml("tiny", "TINY_SECRET"));
  AgentProcess* agent = StartAgent({}, {{"TINY_SECRET", "abc"}});
  ASSERT_NE(agent, nullptr);
  ASSERT_EQ(Cli({"token", "tiny"}).exit_code, 0);
  CommandResult status = Cli({"status"});
  EXPECT_THAT(status.out, HasSubstr("too short to mask: tiny"));
  EXPECT_TRUE(WaitForLog(agent, "shorter than 8 bytes"));
}

// A provider's words (a failing command's stderr, here) are scrubbed of every
// held value before they reach an error, `mcpcred list` or the log: plain,
// and base64 of "id:secret" as in an echoed Basic header.
TEST_F(RedactTest, APluginsMessagesAreScrubbed) {
  const std::string file = base_dir() + "/leak";
  WriteFileOrDie(file, secret(), 0600);
  const std::string basic = base_dir() + "/basic";
  WriteFileOrDie(basic, "client-id:" + secret(), 0600);
  WriteConfig(StaticCredentialToml("gh") +
              absl::StrCat("[credential.leaky]\nprovider = \"command\"\n"
                           "command = [\"/bin/sh\", \"-c\", \"(printf "
                           "'bad token '; cat ",
                           file, "; printf ' basic '; base64 -w0 ", basic,
                           ") >&2; exit 3\"]\n",
                           "env = { T = \"{access_token}\" }\n"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  ASSERT_EQ(Cli({"token", "gh"}).exit_code, 0);  // the value is held

  CommandResult result = Cli({"token", "leaky"});
  EXPECT_NE(result.exit_code, 0);
  const std::string b64 = absl::Base64Escape("client-id:" + secret());
  for (const std::string& text :
       {result.err, Cli({"list"}).out, agent->Log()}) {
    EXPECT_FALSE(ContainsSecret(text)) << Hide(text);
    EXPECT_EQ(text.find(b64.substr(16, 20)), std::string::npos) << Hide(text);
  }
  EXPECT_THAT(result.err, HasSubstr("bad token [REDACTED:gh] basic "));
}

}  // namespace
}  // namespace mcpcred::testing

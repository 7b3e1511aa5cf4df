#include "toml_servers.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/client/import/sample_configs.h"

namespace mcpcred::cli::import {
namespace {

std::string SpanText(const std::string& text, const MemberSpan& member) {
  return text.substr(member.begin, member.end - member.begin);
}

TEST(TomlServersTest, FindsEveryServerWithSpans) {
  std::string text =
      testing::Sample("gptme-config.toml", testing::UnitSecrets());
  absl::StatusOr<std::vector<ServerEntry>> servers = ScanTomlServers(text);
  ASSERT_TRUE(servers.ok()) << servers.status();
  ASSERT_EQ(servers->size(), 2u);
  const ServerEntry& sqlite = (*servers)[0];
  EXPECT_EQ(sqlite.name, "sqlite");
  EXPECT_EQ(sqlite.where, "mcp.servers[0]");
  EXPECT_EQ(sqlite.command, "uvx");
  EXPECT_EQ(sqlite.args.size(), 3u);
  ASSERT_TRUE(sqlite.env.has_value());
  EXPECT_TRUE(sqlite.env->span.comma_separated);
  ASSERT_EQ(sqlite.env->span.members.size(), 2u);
  EXPECT_EQ(SpanText(text, sqlite.env->span.members[1]), "MODE = \"rw\"");
  EXPECT_NE(sqlite.env->span.members[0].comma, kNoPosition);
  const MemberSpan* command = sqlite.entry.Find("command");
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(SpanText(text, *command), "command = \"uvx\"");
  EXPECT_FALSE(sqlite.entry.comma_separated);
  const ServerEntry& remote = (*servers)[1];
  EXPECT_EQ(remote.url, "https://mcp.example.org/mcp");
  ASSERT_TRUE(remote.headers.has_value());
}

TEST(TomlServersTest, AnEnvTableUnderItsOwnHeader) {
  std::string text =
      testing::Sample("gptme-project.toml", testing::UnitSecrets());
  absl::StatusOr<std::vector<ServerEntry>> servers = ScanTomlServers(text);
  ASSERT_TRUE(servers.ok()) << servers.status();
  ASSERT_EQ(servers->size(), 1u);
  const ServerEntry& memory = (*servers)[0];
  ASSERT_TRUE(memory.env.has_value());
  EXPECT_TRUE(memory.env->separate);
  EXPECT_FALSE(memory.env->span.comma_separated);
  ASSERT_EQ(memory.env->span.members.size(), 2u);
  EXPECT_EQ(memory.env->span.members[0].key, "MEMORY_API_KEY");
  // The env table is not one of the entry's own members.
  EXPECT_EQ(memory.entry.Find("env"), nullptr);
}

TEST(TomlServersTest, ColumnsCountCodePointsNotBytes) {
  std::string text =
      "[[mcp.servers]]\nname = \"caf\xC3\xA9\"\ncommand = \"\xC3\xA9\"\n";
  absl::StatusOr<std::vector<ServerEntry>> servers = ScanTomlServers(text);
  ASSERT_TRUE(servers.ok()) << servers.status();
  const MemberSpan* name = (*servers)[0].entry.Find("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(SpanText(text, *name), "name = \"caf\xC3\xA9\"");
}

TEST(TomlServersTest, ErrorsNameTheLine) {
  absl::StatusOr<std::vector<ServerEntry>> servers =
      ScanTomlServers("[mcp]\nenabled = \n");
  ASSERT_FALSE(servers.ok());
  EXPECT_TRUE(absl::StartsWith(servers.status().message(), "line 2"))
      << servers.status();
}

TEST(TomlServersTest, TableKeysAndQuoting) {
  absl::StatusOr<std::vector<std::string>> keys = TomlTableKeys(
      "[credential.a]\nprovider = \"static\"\n[credential.\"b c\"]\n",
      "credential");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 2u);
  EXPECT_EQ(TomlKey("X-Api-Key"), "X-Api-Key");
  EXPECT_EQ(TomlKey("a b"), "\"a b\"");
  EXPECT_EQ(TomlQuote("a\"b"), "\"a\\\"b\"");
}

}  // namespace
}  // namespace mcpcred::cli::import

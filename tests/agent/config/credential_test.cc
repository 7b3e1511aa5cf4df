// Validation inside one [credential.NAME] table: provider, schema keys and
// types, env and header templates.
#include <string>

#include "agent/config/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/config/config_test_util.h"

namespace mcpcred::config {
namespace {

using test_util::ErrorOf;
using test_util::Parse;
using ::testing::HasSubstr;

// A "static" credential with one extra line appended.
std::string StaticWith(const std::string& line) {
  return "[credential.s]\nprovider = \"static\"\nsecret = \"env:S\"\n" + line +
         "\n";
}

// A "rich" credential with one extra line appended.
std::string RichWith(const std::string& line) {
  return "[credential.r]\nprovider = \"rich\"\nurl = \"u\"\n" + line + "\n";
}

TEST(CredentialTest, ProviderIsRequired) {
  EXPECT_EQ(ErrorOf("[credential.s]\nsecret = \"env:S\"\n"),
            "cfg.toml:1: credential \"s\": key \"provider\": required key is "
            "missing (the provider that acquires this credential; known "
            "providers: rich, static)");
}

TEST(CredentialTest, ProviderMustBeAString) {
  EXPECT_EQ(ErrorOf("[credential.s]\nprovider = [\"static\"]\n"),
            "cfg.toml:2: credential \"s\": key \"provider\": expected a "
            "string, got an array");
}

TEST(CredentialTest, UnknownProviderListsTheKnownOnes) {
  EXPECT_EQ(ErrorOf("[credential.s]\n\nprovider = \"oauth3\"\n"),
            "cfg.toml:3: credential \"s\": key \"provider\": unknown provider "
            "\"oauth3\"; known providers: rich, static");
}

TEST(CredentialTest, UnknownKeyListsTheValidOnes) {
  EXPECT_EQ(ErrorOf(StaticWith("scret = \"env:S\"")),
            "cfg.toml:4: credential \"s\": key \"scret\": unknown key for "
            "provider \"static\"; valid keys: provider, env, headers, "
            "lifetime, forward, allow, confirm, confirm_timeout, secret");
}

TEST(CredentialTest, MissingRequiredKeyGivesItsHelp) {
  EXPECT_EQ(ErrorOf("\n[credential.s]\nprovider = \"static\"\n"),
            "cfg.toml:2: credential \"s\": key \"secret\": required key is "
            "missing: where the secret is: env:VAR, file:PATH or "
            "keyring:NAME");
  EXPECT_EQ(ErrorOf("[credential.r]\nprovider = \"rich\"\n"),
            "cfg.toml:1: credential \"r\": key \"url\": required key is "
            "missing: the server URL");
}

TEST(CredentialTest, ChecksEachFieldType) {
  EXPECT_EQ(ErrorOf("[credential.s]\nprovider = \"static\"\nsecret = 42\n"),
            "cfg.toml:3: credential \"s\": key \"secret\": expected a secret "
            "reference string, got an integer");
  EXPECT_EQ(ErrorOf("[credential.r]\nprovider = \"rich\"\nurl = 1.5\n"),
            "cfg.toml:3: credential \"r\": key \"url\": expected a string, got "
            "a float");
  EXPECT_EQ(ErrorOf(RichWith("count = \"9\"")),
            "cfg.toml:4: credential \"r\": key \"count\": expected an integer, "
            "got a string");
  EXPECT_EQ(ErrorOf(RichWith("debug = \"yes\"")),
            "cfg.toml:4: credential \"r\": key \"debug\": expected a boolean, "
            "got a string");
  EXPECT_EQ(ErrorOf(RichWith("scopes = \"repo\"")),
            "cfg.toml:4: credential \"r\": key \"scopes\": expected an array "
            "of strings, got a string");
  EXPECT_EQ(ErrorOf(RichWith("scopes = [\"repo\", 2]")),
            "cfg.toml:4: credential \"r\": key \"scopes[1]\": expected a "
            "string, got an integer");
  EXPECT_EQ(ErrorOf(RichWith("params = [\"a\"]")),
            "cfg.toml:4: credential \"r\": key \"params\": expected a table of "
            "strings, got an array");
  EXPECT_EQ(ErrorOf(RichWith("params = { a = true }")),
            "cfg.toml:4: credential \"r\": key \"params.a\": expected a "
            "string, got a boolean");
}

TEST(CredentialTest, EnvMustBeATableOfValidNames) {
  EXPECT_EQ(ErrorOf(StaticWith("env = \"TOKEN={secret}\"")),
            "cfg.toml:4: credential \"s\": key \"env\": expected a table such "
            "as { NAME = \"{variable}\" }, got a string");
  EXPECT_EQ(ErrorOf(StaticWith("env = { 1TOKEN = \"{secret}\" }")),
            "cfg.toml:4: credential \"s\": key \"env.1TOKEN\": not a valid "
            "environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
  EXPECT_EQ(ErrorOf(StaticWith("env = { TOKEN = 1 }")),
            "cfg.toml:4: credential \"s\": key \"env.TOKEN\": expected a "
            "template string, got an integer");
}

TEST(CredentialTest, EnvMayNotChangeHowProgramsLoadOrRun) {
  for (const char* key : {"LD_PRELOAD", "PATH", "PYTHONPATH", "NODE_OPTIONS",
                          "BASH_ENV", "GIT_SSH_COMMAND", "MCPCRED_SOCK"}) {
    EXPECT_EQ(
        ErrorOf(
            StaticWith(std::string("env = { ") + key + " = \"{secret}\" }")),
        std::string("cfg.toml:4: credential \"s\": key \"env.") + key +
            "\": a credential may not set this variable: it changes how "
            "programs load or run (the loader, a shell, an interpreter or a "
            "tool reads it), and mcpcred-exec refuses it");
  }
}

TEST(CredentialTest, HeaderNamesMustBeTokens) {
  EXPECT_EQ(ErrorOf(StaticWith("headers = { \"X Token\" = \"{secret}\" }")),
            "cfg.toml:4: credential \"s\": key \"headers.X Token\": not a "
            "valid HTTP header name (an RFC 9110 token)");
  EXPECT_EQ(ErrorOf(StaticWith("[credential.s.headers]\nAuthorization = "
                               "\"{secret}\"\nauthorization = \"{secret}\"")),
            "cfg.toml:6: credential \"s\": key \"headers.authorization\": "
            "duplicate of header \"Authorization\" (header names are "
            "case-insensitive)");
}

TEST(CredentialTest, TemplatesUseOnlyTheProviderVariables) {
  EXPECT_EQ(ErrorOf(StaticWith("env = { T = \"{access_token}\" }")),
            "cfg.toml:4: credential \"s\": key \"env.T\": template uses "
            "unknown variable \"{access_token}\"; this provider offers: "
            "secret");
  EXPECT_EQ(ErrorOf(StaticWith("headers = { A = \"Bearer {secret\" }")),
            "cfg.toml:4: credential \"s\": key \"headers.A\": template has an "
            "unclosed \"{\" at column 8 (write \"{{\")");
}

TEST(CredentialTest, KeepsOnlyTheFirstErrorInFileOrder) {
  EXPECT_EQ(ErrorOf("[credential.r]\nprovider = \"rich\"\nzeta = 1\n"
                    "alpha = 2\n"),
            "cfg.toml:3: credential \"r\": key \"zeta\": unknown key for "
            "provider \"rich\"; valid keys: provider, env, headers, "
            "lifetime, forward, allow, confirm, confirm_timeout, url, count, "
            "debug, scopes, params");
}

TEST(CredentialTest, ABadCredentialDoesNotStopTheOthers) {
  absl::StatusOr<AgentConfig> config = Parse(R"(
[credential.zed]
provider = "static"
secret = "env:ZED"

[credential.broken]
provider = "static"
secret = "hunter2"

[credential.alpha]
provider = "static"
secret = "keyring:alpha"
)");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->credentials.size(), 3u);
  EXPECT_EQ(config->credentials[0].name, "alpha");
  EXPECT_TRUE(config->credentials[0].error.ok());
  EXPECT_EQ(config->credentials[1].name, "broken");
  EXPECT_EQ(config->credentials[1].line, 6);
  EXPECT_THAT(std::string(config->credentials[1].error.message()),
              HasSubstr("cfg.toml:8: credential \"broken\": key \"secret\": "
                        "looks like a literal secret"));
  EXPECT_EQ(config->credentials[1].key_lines.at("secret"), 8);
  EXPECT_EQ(config->credentials[2].name, "zed");
  EXPECT_TRUE(config->credentials[2].error.ok());
  EXPECT_EQ(config->credentials[2].provider_config["secret"], "env:ZED");
}

}  // namespace
}  // namespace mcpcred::config

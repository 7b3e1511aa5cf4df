// Shared fixtures for the config loader tests: two provider schemas and
// helpers that parse a config text under the file name "cfg.toml".
#ifndef MCPCRED_TESTS_AGENT_CONFIG_CONFIG_TEST_UTIL_H_
#define MCPCRED_TESTS_AGENT_CONFIG_CONFIG_TEST_UTIL_H_

#include <cstdlib>
#include <string>

#include "agent/config/config.h"
#include "gtest/gtest.h"

namespace mcpcred::config::test_util {

inline constexpr char kPath[] = "cfg.toml";

// "static" as in the design: one required secret reference.
inline const ProviderSchema& StaticSchema() {
  static const ProviderSchema* schema = new ProviderSchema{
      "static",
      {{"secret", FieldType::kSecretRef, true,
        "where the secret is: env:VAR, file:PATH or keyring:NAME"}},
      {"secret"}};
  return *schema;
}

// "rich": one field of every other type.
inline const ProviderSchema& RichSchema() {
  static const ProviderSchema* schema =
      new ProviderSchema{"rich",
                         {{"url", FieldType::kString, true, "the server URL"},
                          {"count", FieldType::kInteger, false, ""},
                          {"debug", FieldType::kBoolean, false, ""},
                          {"scopes", FieldType::kStringArray, false, ""},
                          {"params", FieldType::kStringTable, false, ""}},
                         {"access_token"}};
  return *schema;
}

inline const ProviderSchema* Lookup(const std::string& name) {
  if (name == "static") return &StaticSchema();
  if (name == "rich") return &RichSchema();
  return nullptr;
}

inline absl::StatusOr<AgentConfig> Parse(const std::string& text) {
  return ParseConfig(text, kPath, Lookup, {"rich", "static"});
}

// Parses text holding exactly one credential and returns it.
inline CredentialConfig ParseOne(const std::string& text) {
  absl::StatusOr<AgentConfig> config = Parse(text);
  EXPECT_TRUE(config.ok()) << config.status();
  if (!config.ok() || config->credentials.size() != 1) {
    ADD_FAILURE() << "expected one credential in:\n" << text;
    return {};
  }
  return config->credentials[0];
}

// The message of the one credential's error; fails the test if it is OK.
inline std::string ErrorOf(const std::string& text) {
  CredentialConfig credential = ParseOne(text);
  EXPECT_EQ(credential.error.code(), absl::StatusCode::kInvalidArgument)
      << "for:\n"
      << text;
  return std::string(credential.error.message());
}

// Sets an environment variable for one test and removes it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    setenv(name, value, 1);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

}  // namespace mcpcred::config::test_util

#endif  // MCPCRED_TESTS_AGENT_CONFIG_CONFIG_TEST_UTIL_H_

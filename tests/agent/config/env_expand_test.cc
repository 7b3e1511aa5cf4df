#include "agent/config/env_expand.h"

#include <cstdlib>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::config {
namespace {

using ::testing::HasSubstr;

TEST(ExpandEnvVarsTest, ReplacesSetVariables) {
  setenv("MCPCRED_TEST_A", "alpha", 1);
  setenv("MCPCRED_TEST_EMPTY", "", 1);
  EXPECT_EQ(*ExpandEnvVars("x${MCPCRED_TEST_A}y${MCPCRED_TEST_EMPTY}z"),
            "xalphayz");
  unsetenv("MCPCRED_TEST_A");
  unsetenv("MCPCRED_TEST_EMPTY");
}

TEST(ExpandEnvVarsTest, KeepsDollarsThatAreNotReferences) {
  EXPECT_EQ(*ExpandEnvVars("$ $$ $x a$"), "$ $$ $x a$");
  EXPECT_EQ(*ExpandEnvVars("$${HOME} $$${"), "${HOME} $${");
}

TEST(ExpandEnvVarsTest, RejectsBadReferences) {
  absl::StatusOr<std::string> out = ExpandEnvVars("a${HOME");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("unclosed"));
  out = ExpandEnvVars("${}");
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("\"${}\" is not a valid environment variable"));
  unsetenv("MCPCRED_TEST_NOPE");
  out = ExpandEnvVars("${MCPCRED_TEST_NOPE}");
  EXPECT_EQ(out.status().message(),
            "environment variable \"MCPCRED_TEST_NOPE\" is not set");
}

}  // namespace
}  // namespace mcpcred::config

#include "agent/config/env_expand.h"

#include <cstdlib>
#include <vector>

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

TEST(ExpandEnvVarsTest, ReportsWhatItSubstitutedAndHidesItAgain) {
  setenv("MCPCRED_TEST_DIR", "/opt/tools", 1);
  setenv("MCPCRED_TEST_SUB", "/opt", 1);
  setenv("MCPCRED_TEST_EMPTY", "", 1);
  std::vector<Expansion> used;
  EXPECT_EQ(*ExpandEnvVars(
                "${MCPCRED_TEST_DIR}/a ${MCPCRED_TEST_SUB} ${MCPCRED_TEST_DIR}"
                "${MCPCRED_TEST_EMPTY}",
                &used),
            "/opt/tools/a /opt /opt/tools");
  ASSERT_EQ(used.size(), 2u);  // once each; the empty one hides nothing
  EXPECT_EQ(used[0].reference, "${MCPCRED_TEST_DIR}");
  // The longest value wins where both match.
  EXPECT_EQ(HideExpansions("command \"/opt/tools/a\" in /opt failed", used),
            "command \"${MCPCRED_TEST_DIR}/a\" in ${MCPCRED_TEST_SUB} failed");
  unsetenv("MCPCRED_TEST_DIR");
  unsetenv("MCPCRED_TEST_SUB");
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

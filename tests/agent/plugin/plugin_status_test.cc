// The status <-> code table is one, shared by the agent and the SDK: a code
// means the same on both sides of the ABI. Before, the agent turned its own
// FAILED_PRECONDITION into INTERNAL while the SDK read it as LOGIN_REQUIRED,
// and the agent cut messages inside UTF-8 characters.
#include "agent/plugin/plugin_status.h"

#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugins/sdk/status.h"

namespace mcpcred {
namespace {

mcpcred_error Zeroed() {
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  return error;
}

constexpr int32_t kAllCodes[] = {
    MCPCRED_OK,
    MCPCRED_ERR_INVALID_CONFIG,
    MCPCRED_ERR_NOT_FOUND,
    MCPCRED_ERR_LOGIN_REQUIRED,
    MCPCRED_ERR_UNAVAILABLE,
    MCPCRED_ERR_PERMISSION,
    MCPCRED_ERR_UNSUPPORTED,
    MCPCRED_ERR_INTERNAL,
    MCPCRED_ERR_CANCELLED,
};

TEST(StatusTableTest, EveryCodeSurvivesTheRoundTripOnTheSdkSide) {
  for (int32_t code : kAllCodes) {
    mcpcred_error error = Zeroed();
    std::strcpy(error.message, "m");
    EXPECT_EQ(plugin::CodeFor(plugin::StatusFor(code, error)), code) << code;
  }
}

TEST(StatusTableTest, AgentAndSdkGiveTheSameCodeForAStatus) {
  for (int c = 0; c <= 16; ++c) {
    absl::Status status(static_cast<absl::StatusCode>(c), "m");
    if (absl::IsFailedPrecondition(status)) continue;  // see below
    mcpcred_error host = Zeroed();
    mcpcred_error sdk = Zeroed();
    EXPECT_EQ(FillError(&host, status), plugin::Fail(&sdk, status)) << c;
  }
  EXPECT_EQ(plugin::CodeFor(absl::DeadlineExceededError("slow")),
            MCPCRED_ERR_UNAVAILABLE);
  EXPECT_EQ(plugin::CodeFor(absl::DataLossError("x")), MCPCRED_ERR_INTERNAL);
}

TEST(StatusTableTest, LoginRequiredMeansTheSameOnBothSides) {
  // A plugin's FAILED_PRECONDITION (oauth2: "log in again") ...
  mcpcred_error error = Zeroed();
  int32_t code =
      plugin::Fail(&error, absl::FailedPreconditionError("refresh token gone"));
  EXPECT_EQ(code, MCPCRED_ERR_LOGIN_REQUIRED);
  // ... is a login to the agent ...
  absl::Status status = StatusFromPlugin(code, error);
  EXPECT_TRUE(IsLoginRequired(status));
  // ... and the agent's login-required status is LOGIN_REQUIRED again (it
  // was INTERNAL).
  mcpcred_error back = Zeroed();
  EXPECT_EQ(FillError(&back, LoginRequiredError("gh", "")),
            MCPCRED_ERR_LOGIN_REQUIRED);
}

TEST(StatusTableTest, AgentSetUpProblemIsAConfigErrorNotALogin) {
  mcpcred_error error = Zeroed();
  EXPECT_EQ(FillError(&error, absl::FailedPreconditionError(
                                  "keyring:x needs a secret store")),
            MCPCRED_ERR_INVALID_CONFIG);
  EXPECT_STREQ(error.message, "keyring:x needs a secret store");
}

TEST(StatusTableTest, AgentEdgeRulesOnTopOfTheTable) {
  mcpcred_error error = Zeroed();
  std::strcpy(error.message, "m");
  // NOT_FOUND at the edge means "no such credential".
  EXPECT_TRUE(absl::IsFailedPrecondition(
      StatusFromPlugin(MCPCRED_ERR_NOT_FOUND, error)));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      StatusFromPlugin(MCPCRED_ERR_UNSUPPORTED, error)));
  EXPECT_FALSE(IsLoginRequired(StatusFromPlugin(MCPCRED_ERR_NOT_FOUND, error)));
  EXPECT_TRUE(absl::IsInternal(StatusFromPlugin(1234, error)));
  EXPECT_TRUE(
      absl::IsUnavailable(StatusFromPlugin(MCPCRED_ERR_UNAVAILABLE, error)));
}

TEST(StatusTableTest, AgentCutsLongMessagesBetweenUtf8Characters) {
  std::string message;
  for (int i = 0; i < 400; ++i) message += "\xC3\xA9";  // é, 800 bytes
  mcpcred_error error = Zeroed();
  FillError(&error, absl::UnavailableError(message));
  size_t len = strnlen(error.message, sizeof(error.message));
  EXPECT_LT(len, sizeof(error.message));
  EXPECT_EQ(len % 2, 0u);  // whole characters only
}

}  // namespace
}  // namespace mcpcred

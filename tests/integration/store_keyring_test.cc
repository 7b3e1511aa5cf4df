// `mcpcred add/remove` with [store] backend = "secret-service" against a real
// agent and a real gnome-keyring on a private session bus. Run under
// with_keyring.sh (ctest does); skipped, saying so, without a session bus.
#include <stdio.h>

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/store_flow.h"

namespace mcpcred::testing {
namespace {

class StoreKeyringTest : public StoreFlowTest {
 protected:
  void SetUp() override {
    if (std::getenv("DBUS_SESSION_BUS_ADDRESS") == nullptr) {
      GTEST_SKIP() << "no D-Bus session: run under "
                      "tests/integration/with_keyring.sh";
    }
    StoreFlowTest::SetUp();
  }
};

// Labels and attributes of mcpcred's items, without the values.
std::string KeyringItems() {
  FILE* pipe = popen(
      "secret-tool search --all xdg:schema io.mcpcred.Secret 2>&1 | "
      "grep -v '^secret = '",
      "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    out.append(buffer, n);
  pclose(pipe);
  return out;
}

TEST_F(StoreKeyringTest, AddRestartRemove) {
  CheckAddRestartRemove("secret-service");
}

TEST_F(StoreKeyringTest, ReplaceTakesEffectAtOnce) {
  CheckReplaceTakesEffectAtOnce("secret-service");
}

TEST_F(StoreKeyringTest, ListAndStatusShowTheStore) {
  CheckListAndStatusShowTheStore("secret-service");
}

TEST_F(StoreKeyringTest, TheItemIsLabelledForPeople) {
  WriteStoreConfig("secret-service");
  ASSERT_NE(StartStoreAgent(), nullptr);
  Add("linear", NewSecret());
  std::string items = KeyringItems();
  EXPECT_TRUE(absl::StrContains(items, "label = mcpcred: linear (secret)"))
      << items;
  EXPECT_TRUE(absl::StrContains(items, "attribute.credential = linear"))
      << items;
  EXPECT_TRUE(absl::StrContains(items, "attribute.kind = secret")) << items;
  ASSERT_EQ(Cli({"remove", "linear"}).exit_code, 0);
  EXPECT_FALSE(absl::StrContains(KeyringItems(), "mcpcred: linear"));
}

// libsecret and GIO are in the agent's secret-service module, loaded at the
// store's first call (the explicit backend is not probed at start; no
// credential reads the store when loaded here).
TEST_F(StoreKeyringTest, TheModuleIsLoadedAtTheFirstStoreCall) {
  WriteConfig(absl::StrCat("[store]\nbackend = \"secret-service\"\n\n",
                           StaticCredentialToml("gh")));
  AgentProcess* agent = StartStoreAgent();
  ASSERT_NE(agent, nullptr);
  EXPECT_FALSE(absl::StrContains(agent->Maps(), "/libsecret-1."));
  EXPECT_FALSE(absl::StrContains(agent->Maps(), "/secret-service.so"));
  Add("linear", NewSecret());
  EXPECT_TRUE(absl::StrContains(agent->Maps(), "/modules/secret-service.so"));
  EXPECT_TRUE(absl::StrContains(agent->Maps(), "/libsecret-1."));
  EXPECT_FALSE(absl::StrContains(agent->Maps(), "/libcurl."));
}

TEST_F(StoreKeyringTest, AutoChoosesTheKeyringWhenOneAnswers) {
  WriteStoreConfig("auto");
  AgentProcess* agent = StartStoreAgent();
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(WaitForLog(agent, "secret store: secret-service (backend auto"))
      << Hide(agent->Log());
  Add("linear", NewSecret());
  EXPECT_TRUE(absl::StrContains(KeyringItems(), "mcpcred: linear (secret)"));
}

TEST_F(StoreKeyringTest, WithoutTheBusTheErrorSaysWhatToDo) {
  WriteStoreConfig("secret-service");
  // The agent is started without the session bus of this test.
  ASSERT_NE(StartAgent(), nullptr);
  CommandResult add = Cli({"add", "linear"}, {}, NewSecret());
  EXPECT_NE(add.exit_code, 0) << Show(add);
  EXPECT_TRUE(absl::StrContains(add.err, "start gnome-keyring")) << Show(add);
  EXPECT_TRUE(absl::StrContains(add.err, "backend = \"file\"")) << Show(add);
}

}  // namespace
}  // namespace mcpcred::testing

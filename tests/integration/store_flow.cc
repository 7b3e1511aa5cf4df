#include "tests/integration/store_flow.h"

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace mcpcred::testing {

void StoreFlowTest::WriteStoreConfig(const std::string& backend) {
  WriteConfig(
      absl::StrCat("[store]\n"
                   "backend = \"",
                   backend,
                   "\"\n\n"
                   "[credential.linear]\n"
                   "provider = \"static\"\n"
                   "secret = \"keyring:linear\"\n"
                   "env = { LINEAR_API_KEY = \"{secret}\" }\n"));
}

Environment StoreFlowTest::AgentEnv() const {
  Environment env;
  if (const char* bus = std::getenv("DBUS_SESSION_BUS_ADDRESS")) {
    env["DBUS_SESSION_BUS_ADDRESS"] = bus;
  }
  return env;
}

void StoreFlowTest::Add(const std::string& name, const std::string& value) {
  CommandResult added = Cli({"add", name}, {}, value + "\n");
  EXPECT_EQ(added.exit_code, 0) << Show(added);
  EXPECT_FALSE(ContainsSecret(added.out)) << Show(added);
}

std::string StoreFlowTest::TokenOfLinear() {
  CommandResult token = Cli({"token", "linear"});
  if (token.exit_code != 0) {
    ADD_FAILURE() << "mcpcred token linear failed: " << Show(token);
    return "";
  }
  return token.out.substr(0, token.out.find('\n'));
}

void StoreFlowTest::CheckAddRestartRemove(const std::string& backend) {
  WriteStoreConfig(backend);
  AgentProcess* agent = StartStoreAgent();
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(WaitForLog(agent, "secret store: " + backend))
      << Hide(agent->Log());

  // Before the add: the request says what to do.
  CommandResult missing = Cli({"token", "linear"});
  EXPECT_NE(missing.exit_code, 0) << Show(missing);
  EXPECT_TRUE(absl::StrContains(missing.err, "run 'mcpcred add linear'"))
      << Show(missing);

  const std::string value = NewSecret();
  CommandResult added = Cli({"add", "linear"}, {}, value + "\n");
  ASSERT_EQ(added.exit_code, 0) << Show(added);
  EXPECT_EQ(added.out, absl::StrCat("Added secret \"linear\" to the ", backend,
                                    " store.\n"));
  EXPECT_TRUE(TokenOfLinear() == value) << "the added value is not served";
  CommandResult env = Cli({"env", "linear"});
  EXPECT_TRUE(env.out == "LINEAR_API_KEY=" + value + "\n") << Show(env);

  // A restarted agent serves it with no new add.
  absl::StatusOr<int> stopped = agent->Stop();
  ASSERT_TRUE(stopped.ok() && *stopped == 0) << Hide(agent->Log());
  agent = StartStoreAgent();
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(TokenOfLinear() == value) << "lost across a restart";

  CommandResult removed = Cli({"remove", "linear"});
  ASSERT_EQ(removed.exit_code, 0) << Show(removed);
  EXPECT_EQ(removed.out, absl::StrCat("Removed secret \"linear\" from the ",
                                      backend, " store.\n"));
  CommandResult gone = Cli({"token", "linear"});
  EXPECT_NE(gone.exit_code, 0) << Show(gone);
  EXPECT_FALSE(ContainsSecret(gone.out)) << Show(gone);
  EXPECT_TRUE(absl::StrContains(gone.err, "run 'mcpcred add linear'"))
      << Show(gone);
  // Idempotent.
  CommandResult again = Cli({"remove", "linear"});
  EXPECT_EQ(again.exit_code, 0) << Show(again);
}

void StoreFlowTest::CheckReplaceTakesEffectAtOnce(const std::string& backend) {
  WriteStoreConfig(backend);
  ASSERT_NE(StartStoreAgent(), nullptr);
  const std::string first = NewSecret();
  const std::string second = NewSecret();
  Add("linear", first);
  EXPECT_TRUE(TokenOfLinear() == first);
  // The broker caches a static credential forever; the add must not leave
  // the old value being served.
  Add("linear", second);
  EXPECT_TRUE(TokenOfLinear() == second) << "the replaced value is served";
}

void StoreFlowTest::CheckListAndStatusShowTheStore(const std::string& backend) {
  WriteStoreConfig(backend);
  ASSERT_NE(StartStoreAgent(), nullptr);
  Add("linear", NewSecret());
  Add("unused", NewSecret());  // stored, but no credential reads it

  CommandResult list = Cli({"list"});
  ASSERT_EQ(list.exit_code, 0) << Show(list);
  EXPECT_FALSE(ContainsSecret(list.out)) << Show(list);
  EXPECT_TRUE(absl::StrContains(
      list.out, absl::StrCat("Stored in the ", backend, " store:\n")))
      << Show(list);
  EXPECT_TRUE(absl::StrContains(list.out, "  linear  secret\n")) << Show(list);
  EXPECT_TRUE(absl::StrContains(list.out, "  unused  secret\n")) << Show(list);

  CommandResult json = Cli({"--json", "list"});
  ASSERT_EQ(json.exit_code, 0) << Show(json);
  EXPECT_FALSE(ContainsSecret(json.out)) << Show(json);
  nlohmann::json array = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(array.is_array() && array.size() == 1) << Show(json);
  EXPECT_EQ(array[0]["stored"], nlohmann::json::array({"secret"}));

  CommandResult status = Cli({"--json", "status"});
  ASSERT_EQ(status.exit_code, 0) << Show(status);
  nlohmann::json object = nlohmann::json::parse(status.out, nullptr, false);
  EXPECT_EQ(object.value("store", ""), backend) << Show(status);
}

}  // namespace mcpcred::testing

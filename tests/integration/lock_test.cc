// `mcpcred lock` / `mcpcred unlock` (like ssh-add -x/-X): a locked agent
// refuses every hand-out with one line saying to unlock, a wrong passphrase
// leaves it locked, and after unlocking secrets are obtained afresh. The
// passphrase is a secret of the test: the fixture checks it appears in no
// log, audit line or stderr, and it is never an argument.
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "mcpcred/client.h"
#include "nlohmann/json.hpp"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

constexpr char kLocked[] = "agent is locked: run 'mcpcred unlock'";

class LockTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    secret_file_ = base_dir() + "/gh.secret";
    WriteSecret(secret());
    WriteConfig(
        absl::StrCat("[credential.gh]\nprovider = \"static\"\nsecret = \"file:",
                     secret_file_,
                     "\"\nenv = { GITHUB_TOKEN = \"{secret}\" }\n"
                     "headers = { Authorization = \"Bearer {secret}\" }\n"));
    agent_ = StartAgent();
  }

  void WriteSecret(const std::string& value) {
    std::ofstream(secret_file_, std::ios::trunc) << value;
    ASSERT_EQ(chmod(secret_file_.c_str(), 0600), 0);
  }

  void ExpectToken(const std::string& expected) {
    CommandResult result = Cli({"token", "gh"});
    EXPECT_EQ(result.exit_code, 0) << Show(result);
    EXPECT_TRUE(result.out == expected + "\n")
        << "token differs (secrets hidden): " << Hide(result.out);
  }

  // Runs `mcpcred ARGS` and expects the locked refusal.
  void ExpectLockedRefusal(const std::vector<std::string>& args,
                           const std::optional<std::string>& input = {}) {
    CommandResult result = Cli(args, {}, input);
    EXPECT_EQ(result.exit_code, 5) << args[0] << ": " << Show(result);
    EXPECT_EQ(result.err, absl::StrCat("mcpcred: ", kLocked, "\n"))
        << args[0] << ": " << Show(result);
    EXPECT_EQ(result.out, "") << args[0] << ": " << Show(result);
  }

  bool StatusSaysLocked() {
    CommandResult status = Cli({"status", "--json"});
    EXPECT_EQ(status.exit_code, 0) << Show(status);
    nlohmann::json json = nlohmann::json::parse(status.out, nullptr, false);
    return json.is_object() && json.value("locked", false);
  }

  // A Watch snapshot carries the locked error and no value, and the values
  // a relay masks with are refused.
  void ExpectNothingThroughTheLibrary() {
    ClientOptions options;
    options.socket_path = socket_path();
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    ASSERT_TRUE(client.ok()) << client.status();
    absl::StatusOr<v1::GetRedactionValuesResponse> values =
        (*client)->GetRedactionValues();
    EXPECT_EQ(values.status().code(), absl::StatusCode::kFailedPrecondition)
        << values.status();
    std::vector<v1::CredentialEvent> events;
    LoginCanceller canceller;
    absl::Status watch = (*client)->Watch(
        {"gh"},
        [&](const v1::CredentialEvent& event) {
          if (event.kind() == v1::CredentialEvent::SYNCED) canceller.Cancel();
          events.push_back(event);
        },
        &canceller);
    EXPECT_TRUE(absl::IsCancelled(watch)) << watch;
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].kind(), v1::CredentialEvent::SNAPSHOT);
    EXPECT_FALSE(events[0].has_credential());
    EXPECT_EQ(events[0].error_message(), kLocked);
  }

  std::string secret_file_;
  AgentProcess* agent_ = nullptr;
};

TEST_F(LockTest, ALockedAgentHandsOutNothingUntilUnlocked) {
  ASSERT_NE(agent_, nullptr);
  ExpectToken(secret());
  const std::string passphrase = NewSecret();

  CommandResult lock = Cli({"lock"}, {}, passphrase + "\n");
  ASSERT_EQ(lock.exit_code, 0) << Show(lock);
  EXPECT_EQ(lock.out, "Agent locked.\n");
  EXPECT_TRUE(StatusSaysLocked());
  CommandResult text_status = Cli({"status"});
  EXPECT_TRUE(absl::StrContains(text_status.out, "locked:          yes"))
      << Show(text_status);

  // Every hand-out is refused, with one line saying what to do.
  ExpectLockedRefusal({"token", "gh"});
  ExpectLockedRefusal({"env", "gh"});
  ExpectLockedRefusal({"headers", "gh"});
  ExpectLockedRefusal({"redact"}, "some text " + secret() + "\n");
  ExpectLockedRefusal({"login", "gh"});
  ExpectLockedRefusal({"add", "other"}, NewSecret());
  CommandResult exec = Exec({"gh", "--", "true"});
  EXPECT_NE(exec.exit_code, 0) << Show(exec);
  EXPECT_TRUE(absl::StrContains(exec.err, kLocked)) << Show(exec);
  ExpectNothingThroughTheLibrary();
  // Listing still works, and shows nothing held.
  CommandResult list = Cli({"list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << Show(list);
  EXPECT_TRUE(absl::StrContains(list.out, kLocked)) << Show(list);
  EXPECT_FALSE(absl::StrContains(list.out, "\"cached\": true")) << Show(list);
  // Locking twice says so.
  CommandResult again = Cli({"lock"}, {}, passphrase + "\n");
  EXPECT_EQ(again.exit_code, 5) << Show(again);
  EXPECT_EQ(again.err, "mcpcred: agent is locked already\n") << Show(again);

  // The secret changes while locked: after unlocking it is read afresh.
  const std::string changed = NewSecret();
  WriteSecret(changed);

  CommandResult wrong = Cli({"unlock"}, {}, NewSecret() + "\n");
  EXPECT_EQ(wrong.exit_code, 1) << Show(wrong);
  EXPECT_EQ(wrong.err, "mcpcred: wrong passphrase: the agent stays locked\n")
      << Show(wrong);
  EXPECT_TRUE(StatusSaysLocked());
  ExpectLockedRefusal({"token", "gh"});

  CommandResult unlock = Cli({"unlock"}, {}, passphrase + "\n");
  ASSERT_EQ(unlock.exit_code, 0) << Show(unlock);
  EXPECT_EQ(unlock.out, "Agent unlocked.\n");
  EXPECT_FALSE(StatusSaysLocked());
  ExpectToken(changed);

  // Who locked and who tried to unlock is audited.
  const std::string audit = ReadFileOrEmpty(audit_log_path());
  EXPECT_TRUE(absl::StrContains(audit, "\"lock: ok\"")) << audit;
  EXPECT_TRUE(absl::StrContains(audit, "\"unlock: PERMISSION_DENIED\""))
      << audit;
  EXPECT_TRUE(absl::StrContains(audit, "\"unlock: ok\"")) << audit;

  CommandResult not_locked = Cli({"unlock"}, {}, passphrase + "\n");
  EXPECT_EQ(not_locked.exit_code, 5) << Show(not_locked);
  EXPECT_EQ(not_locked.err, "mcpcred: agent is not locked\n")
      << Show(not_locked);
}

TEST_F(LockTest, AnEmptyOrMultiLinePassphraseIsRefused) {
  ASSERT_NE(agent_, nullptr);
  CommandResult lock = Cli({"lock"}, {}, std::string("\n"));
  EXPECT_NE(lock.exit_code, 0) << Show(lock);
  CommandResult lines = Cli({"lock"}, {}, NewSecret() + "\n" + NewSecret());
  EXPECT_NE(lines.exit_code, 0) << Show(lines);
  EXPECT_TRUE(absl::StrContains(lines.err, "the passphrase is one line"))
      << Show(lines);
  EXPECT_FALSE(StatusSaysLocked());
  ExpectToken(secret());
}

TEST_F(LockTest, AReloadWhileLockedLoadsNothingUntilUnlocked) {
  ASSERT_NE(agent_, nullptr);
  const std::string passphrase = NewSecret();
  ASSERT_EQ(Cli({"lock"}, {}, passphrase).exit_code, 0);
  CommandResult reload = Cli({"reload"});
  EXPECT_EQ(reload.exit_code, 0) << Show(reload);
  ExpectLockedRefusal({"token", "gh"});
  ASSERT_EQ(Cli({"unlock"}, {}, passphrase).exit_code, 0);
  ExpectToken(secret());
}

}  // namespace
}  // namespace mcpcred::testing

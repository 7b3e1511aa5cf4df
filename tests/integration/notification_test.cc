// `confirm = true` asked through a desktop notification, with a real
// notification server: dunst on Xvfb, in a private D-Bus session bus per
// test. The person's answer is driven with dunstctl: the notification has no
// "default" action, so `dunstctl action 0` opens dunst's context menu, and
// the menu program (dunst's `dmenu` setting, a script here) picks Allow or
// Deny as a person would; `dunstctl close` dismisses it.
//
// Skipped when Xvfb, dunst, dunstctl or dbus-daemon is not installed
// (apt install xvfb dunst dbus).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcred/client.h"
#include "nlohmann/json.hpp"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A safety limit for the servers to come up, never an assertion of speed.
constexpr absl::Duration kStartLimit = absl::Seconds(20);

class NotificationTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    for (const char* tool : {"Xvfb", "dunst", "dunstctl", "dbus-daemon"}) {
      if (FindProgram(tool).empty()) {
        GTEST_SKIP() << tool
                     << " is not installed (apt install xvfb dunst dbus)";
      }
    }
    dir_ = base_dir() + "/desktop";
    ASSERT_EQ(mkdir(dir_.c_str(), 0700), 0);
    bus_ = absl::StrCat("unix:path=", dir_, "/bus");

    // The session bus, private to this test.
    CommandSpec bus;
    bus.argv = {"dbus-daemon", "--session", "--nofork", "--nopidfile",
                absl::StrCat("--address=", bus_)};
    bus.env = {{"PATH", "/usr/bin:/bin"}};
    bus.output_path = dir_ + "/dbus.log";
    bus.timeout = absl::Hours(1);
    Start(bus, &bus_daemon_);

    // The X server picks a free display and writes its number.
    CommandSpec x;
    x.argv = {"Xvfb", "-displayfd", "1", "-nolisten", "tcp"};
    x.env = {{"PATH", "/usr/bin:/bin"}};
    x.output_path = dir_ + "/xvfb.log";
    x.timeout = absl::Hours(1);
    Start(x, &xvfb_);
    std::string display;
    for (absl::Time limit = absl::Now() + kStartLimit;
         display.empty() && absl::Now() < limit;) {
      for (absl::string_view line :
           absl::StrSplit(ReadFileOrEmpty(x.output_path), '\n')) {
        int number;
        if (absl::SimpleAtoi(line, &number)) display = absl::StrCat(":", line);
      }
      if (display.empty()) absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_FALSE(display.empty()) << ReadFileOrEmpty(x.output_path);

    // dunst, whose context menu is a script answering with the line of the
    // action named in dir_/choice.
    const std::string menu = dir_ + "/menu.sh";
    WriteFileOrDie(
        menu,
        absl::StrCat("#!/bin/sh\ncat > '", dir_, "/menu'\ngrep \"#$(cat '",
                     dir_, "/choice')\" '", dir_, "/menu'\n"),
        0700);
    WriteFileOrDie(dir_ + "/dunstrc",
                   absl::StrCat("[global]\n    dmenu = ", menu, "\n"));
    desktop_env_ = {{"PATH", "/usr/bin:/bin"},
                    {"HOME", dir_},
                    {"DISPLAY", display},
                    {"DBUS_SESSION_BUS_ADDRESS", bus_}};
    CommandSpec dunst;
    dunst.argv = {"dunst", "-config", dir_ + "/dunstrc"};
    dunst.env = desktop_env_;
    dunst.output_path = dir_ + "/dunst.log";
    dunst.timeout = absl::Hours(1);
    Start(dunst, &dunst_);
    // Ready once it owns the name (asking it directly would start another
    // dunst through D-Bus activation).
    bool owned = false;
    for (absl::Time limit = absl::Now() + kStartLimit;
         !owned && absl::Now() < limit;) {
      CommandSpec ask;
      ask.argv = {"dbus-send",
                  "--session",
                  "--print-reply=literal",
                  "--dest=org.freedesktop.DBus",
                  "/org/freedesktop/DBus",
                  "org.freedesktop.DBus.NameHasOwner",
                  "string:org.freedesktop.Notifications"};
      ask.env = desktop_env_;
      owned = absl::StrContains(RunCommand(ask).out, "true");
      if (!owned) absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_TRUE(owned) << ReadFileOrEmpty(dir_ + "/dunst.log");
  }

  void TearDown() override {
    dunst_.reset();
    xvfb_.reset();
    bus_daemon_.reset();
    AgentTest::TearDown();
  }

  void Start(const CommandSpec& spec, std::unique_ptr<Subprocess>* process) {
    absl::StatusOr<std::unique_ptr<Subprocess>> started =
        Subprocess::Start(spec);
    ASSERT_TRUE(started.ok()) << started.status();
    *process = *std::move(started);
  }

  // The agent with the session bus and neither askpass variable, unless
  // `askpass` is set.
  AgentProcess* StartAgentWithBus(const std::string& askpass = "") {
    Environment env = {{"DBUS_SESSION_BUS_ADDRESS", bus_}};
    if (!askpass.empty()) env["MCPCRED_ASKPASS"] = askpass;
    return StartAgent({}, env);
  }

  CommandResult Dunstctl(const std::vector<std::string>& args) {
    CommandSpec spec;
    spec.argv = {"dunstctl"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = desktop_env_;
    return RunCommand(spec);
  }
  int Displayed() {
    int count = -1;
    std::string out = Dunstctl({"count", "displayed"}).out;
    return absl::SimpleAtoi(absl::StripAsciiWhitespace(out), &count) ? count
                                                                     : -1;
  }
  // Waits until dunst shows `count` notifications; false past the limit.
  bool WaitForDisplayed(int count) {
    for (absl::Time limit = absl::Now() + kStartLimit; absl::Now() < limit;) {
      if (Displayed() == count) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }
  // Answers the notification on display through dunst's context menu.
  void Choose(const std::string& action) {
    WriteFileOrDie(dir_ + "/choice", action);
    CommandResult invoked = Dunstctl({"action", "0"});
    EXPECT_EQ(invoked.exit_code, 0) << invoked.err;
  }
  // The bodies of the notifications dunst has shown and closed.
  std::vector<std::string> History() {
    std::vector<std::string> bodies;
    CommandResult history = Dunstctl({"history"});
    EXPECT_FALSE(ContainsSecret(history.out));
    nlohmann::json json = nlohmann::json::parse(history.out, nullptr, false);
    if (!json.is_object()) return bodies;
    for (const auto& group : json["data"]) {
      for (const auto& entry : group) {
        bodies.push_back(entry["body"].value("data", ""));
      }
    }
    return bodies;
  }

  std::unique_ptr<Client> TestClient() {
    ClientOptions options;
    options.socket_path = socket_path();
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  // The `policy` of each audit line for `credential`.
  std::vector<std::string> AuditPolicies(const std::string& credential) {
    std::vector<std::string> policies;
    std::string text = ReadFileOrEmpty(audit_log_path());
    EXPECT_FALSE(ContainsSecret(text));
    for (absl::string_view line :
         absl::StrSplit(text, '\n', absl::SkipEmpty())) {
      nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
      if (json.is_object() && json.value("credential", "") == credential) {
        policies.push_back(json.value("policy", ""));
      }
    }
    return policies;
  }

  // GetCredential("gh") from this process while `answer` runs.
  absl::Status AskWhile(Client& client, const std::function<void()>& answer) {
    absl::Status result;
    std::thread asker([&] { result = client.GetCredential("gh").status(); });
    answer();
    asker.join();
    return result;
  }

  static std::string ConfirmCredential(const std::string& timeout) {
    return absl::StrCat(StaticCredentialToml("gh"),
                        "confirm = true\nconfirm_timeout = \"", timeout,
                        "\"\n");
  }

  std::string dir_;
  std::string bus_;
  Environment desktop_env_;
  std::unique_ptr<Subprocess> bus_daemon_;
  std::unique_ptr<Subprocess> xvfb_;
  std::unique_ptr<Subprocess> dunst_;
};

TEST_F(NotificationTest, AllowHandsItOutAndIsRememberedForThatProcess) {
  WriteConfig(ConfirmCredential("60s"));
  ASSERT_NE(StartAgentWithBus(), nullptr);
  std::unique_ptr<Client> client = TestClient();
  ASSERT_NE(client, nullptr);

  absl::Status allowed = AskWhile(*client, [&] {
    ASSERT_TRUE(WaitForDisplayed(1)) << "no notification shown";
    Choose("Allow");
  });
  EXPECT_TRUE(allowed.ok()) << Hide(allowed.ToString());
  EXPECT_TRUE(WaitForDisplayed(0)) << "the answered notification stays";
  // Asked once: the same process has it without another question.
  EXPECT_TRUE(client->GetCredential("gh").ok());
  std::vector<std::string> shown = History();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_THAT(shown[0], HasSubstr(absl::StrCat(" (pid ", getpid(), ")")));
  EXPECT_THAT(shown[0], HasSubstr("to use the credential \"gh\"?"));
  EXPECT_FALSE(ContainsSecret(shown[0]));
  EXPECT_THAT(ReadFileOrEmpty(dir_ + "/menu"), HasSubstr("#Deny"))
      << "both actions offered";
  EXPECT_EQ(AuditPolicies("gh"),
            (std::vector<std::string>{"confirmed by notification",
                                      "confirmed earlier"}));
}

TEST_F(NotificationTest, DenyIsARefusal) {
  WriteConfig(ConfirmCredential("60s"));
  AgentProcess* agent = StartAgentWithBus();
  ASSERT_NE(agent, nullptr);
  // The desktop-notifier module is loaded at the first question (GIO may be
  // there already: the auto store backend probed the session bus).
  EXPECT_THAT(agent->Maps(), Not(HasSubstr("/desktop-notifier.so")));
  std::unique_ptr<Client> client = TestClient();
  ASSERT_NE(client, nullptr);
  absl::Status denied = AskWhile(*client, [&] {
    ASSERT_TRUE(WaitForDisplayed(1)) << "no notification shown";
    Choose("Deny");
  });
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied) << denied;
  EXPECT_THAT(denied.message(), HasSubstr(": you refused it"));
  EXPECT_EQ(AuditPolicies("gh"),
            (std::vector<std::string>{"refused by notification"}));
  EXPECT_THAT(agent->Maps(), HasSubstr("/modules/desktop-notifier.so"));
}

TEST_F(NotificationTest, DismissingItIsARefusal) {
  WriteConfig(ConfirmCredential("60s"));
  ASSERT_NE(StartAgentWithBus(), nullptr);
  CommandResult refused;
  std::unique_ptr<Subprocess> cli = StartCli({"token", "gh"});
  ASSERT_NE(cli, nullptr);
  ASSERT_TRUE(WaitForDisplayed(1)) << "no notification shown";
  EXPECT_EQ(Dunstctl({"close"}).exit_code, 0);
  refused = cli->Wait();
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  EXPECT_THAT(refused.err, HasSubstr(": you refused it"));
  EXPECT_TRUE(refused.out.empty());
}

TEST_F(NotificationTest, NoAnswerIsARefusalAfterTheTimeout) {
  WriteConfig(ConfirmCredential("2s"));
  ASSERT_NE(StartAgentWithBus(), nullptr);
  CommandResult refused = Cli({"token", "gh"});
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  EXPECT_THAT(refused.err, HasSubstr(": no answer within 2s"));
  EXPECT_TRUE(refused.out.empty());
  EXPECT_TRUE(WaitForDisplayed(0)) << "the unanswered notification stays";
  EXPECT_EQ(History().size(), 1u);
  EXPECT_EQ(AuditPolicies("gh"),
            (std::vector<std::string>{"no answer by notification"}));
}

TEST_F(NotificationTest, StoppingTheAgentEndsAnOpenNotification) {
  WriteConfig(ConfirmCredential("600s"));
  AgentProcess* agent = StartAgentWithBus();
  ASSERT_NE(agent, nullptr);
  std::unique_ptr<Subprocess> cli = StartCli({"token", "gh"});
  ASSERT_NE(cli, nullptr);
  ASSERT_TRUE(WaitForDisplayed(1)) << "no notification shown";
  // Within Stop's safety limit, far below the 600s the prompt would wait.
  absl::StatusOr<int> stopped = agent->Stop();
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0);
  EXPECT_TRUE(WaitForDisplayed(0)) << "the notification outlives the agent";
  CommandResult refused = cli->Wait();
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  EXPECT_TRUE(refused.out.empty());
}

TEST_F(NotificationTest, AnAskpassProgramIsAskedInstead) {
  WriteConfig(ConfirmCredential("60s"));
  const std::string askpass = dir_ + "/askpass.sh";
  WriteFileOrDie(askpass, "#!/bin/sh\nexit 0\n", 0700);
  AgentProcess* agent = StartAgentWithBus(askpass);
  ASSERT_NE(agent, nullptr);
  CommandResult allowed = Cli({"token", "gh"});
  EXPECT_EQ(allowed.exit_code, 0) << Show(allowed);
  EXPECT_EQ(Displayed(), 0);
  EXPECT_THAT(agent->Maps(), Not(HasSubstr("/desktop-notifier.so")));
  EXPECT_TRUE(History().empty()) << "no notification when askpass is set";
  EXPECT_EQ(AuditPolicies("gh"), (std::vector<std::string>{"confirmed"}));
}

}  // namespace
}  // namespace mcpcred::testing

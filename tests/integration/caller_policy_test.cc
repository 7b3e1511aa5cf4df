// Who may have a credential, with the real agent and real callers: `allow`
// by executable (the mcpcred CLI, mcpcred-exec and this test binary are
// three different programs), mcpcred-exec's command, Watch and redaction
// values, and `confirm = true` through a scripted askpass program.
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcred/client.h"
#include "nlohmann/json.hpp"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;

std::string Canonical(const std::string& path) {
  return std::filesystem::canonical(path).string();
}

std::string SelfExe() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  return n > 0 ? std::string(self, static_cast<size_t>(n)) : "";
}

class CallerPolicyTest : public AgentTest {
 protected:
  // The static credential `name` with extra lines (allow, confirm...).
  static std::string Credential(const std::string& name,
                                const std::string& lines) {
    return StaticCredentialToml(name) + lines + "\n";
  }

  // A client in this test process (the third program).
  std::unique_ptr<Client> TestClient(const std::string& exec_command = "") {
    ClientOptions options;
    options.socket_path = socket_path();
    options.exec_command = exec_command;
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  // The audit lines for `credential`, parsed.
  std::vector<nlohmann::json> AuditFor(const std::string& credential) {
    std::vector<nlohmann::json> lines;
    std::string text = ReadFileOrEmpty(audit_log_path());
    EXPECT_FALSE(ContainsSecret(text));
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (line.empty()) continue;
      nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
      if (json.is_object() && json.value("credential", "") == credential) {
        lines.push_back(json);
      }
    }
    return lines;
  }

  // An askpass program running `body`, recording each question in
  // asked_path().
  std::string Askpass(const std::string& body) {
    const std::string path = base_dir() + "/askpass.sh";
    std::ofstream out(path);
    out << "#!/bin/sh\nprintf '%s|%s\\n' \"$SSH_ASKPASS_PROMPT\" \"$1\" >> '"
        << asked_path() << "'\n"
        << body << "\n";
    out.close();
    chmod(path.c_str(), 0700);
    return path;
  }
  std::string asked_path() const { return base_dir() + "/asked"; }
  std::vector<std::string> Asked() const {
    return absl::StrSplit(ReadFileOrEmpty(asked_path()), '\n',
                          absl::SkipEmpty());
  }
};

TEST_F(CallerPolicyTest, AnExeRuleAdmitsThatProgramAndRefusesAnother) {
  const std::string cli = Canonical(CliBinary());
  WriteConfig(Credential("gh", absl::StrCat("allow = [\"exe:", cli, "\"]")));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult allowed = Cli({"token", "gh"});
  EXPECT_EQ(allowed.exit_code, 0) << Show(allowed);
  EXPECT_EQ(allowed.out, secret() + "\n") << "the CLI gets the credential";

  CommandResult refused = Exec({"gh", "--", "/bin/true"});
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  EXPECT_THAT(refused.err,
              HasSubstr("credential \"gh\" is not allowed for mcpcred-exec "
                        "running /bin/true (pid "));
  EXPECT_THAT(refused.err, HasSubstr("): add \"exec:/bin/true\" to allow in "
                                     "[credential.gh]"));

  std::vector<nlohmann::json> audit = AuditFor("gh");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].value("outcome", ""), "ok");
  EXPECT_EQ(audit[0].value("policy", ""), "allowed");
  EXPECT_EQ(audit[1].value("outcome", ""), "PERMISSION_DENIED");
  EXPECT_EQ(audit[1].value("policy", ""), "not allowed");
  EXPECT_EQ(audit[1].value("exe", ""), Canonical(ExecBinary()));
}

TEST_F(CallerPolicyTest, TheRefusalNamesTheExeRuleToAdd) {
  WriteConfig(Credential("gh", "allow = [\"exec\"]"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult exec = Exec({"gh", "--", "/bin/true"});
  EXPECT_EQ(exec.exit_code, 0) << Show(exec);

  CommandResult refused = Cli({"token", "gh"});
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  const std::string cli = Canonical(CliBinary());
  EXPECT_THAT(refused.err,
              HasSubstr(absl::StrCat("credential \"gh\" is not allowed for ",
                                     cli, " (pid ")));
  EXPECT_THAT(refused.err,
              HasSubstr(absl::StrCat("): add \"exe:", cli,
                                     "\" to allow in [credential.gh]")));
  EXPECT_TRUE(refused.out.empty()) << Show(refused);
}

TEST_F(CallerPolicyTest, AnExecRuleChecksTheCommandMcpcredExecRuns) {
  WriteConfig(Credential("gh", "allow = [\"exec:/bin/true\"]"));
  ASSERT_NE(StartAgent(), nullptr);

  CommandResult named = Exec({"gh", "--", "/bin/true"});
  EXPECT_EQ(named.exit_code, 0) << Show(named);
  // Found on $PATH as execvpe finds it.
  CommandResult searched = Exec({"gh", "--", "true"}, {{"PATH", "/bin"}});
  EXPECT_EQ(searched.exit_code, 0) << Show(searched);

  CommandResult other = Exec({"gh", "--", "/bin/sh", "-c", "true"});
  EXPECT_NE(other.exit_code, 0) << Show(other);
  EXPECT_THAT(other.err, HasSubstr("add \"exec:/bin/sh\" to allow"));
}

TEST_F(CallerPolicyTest, AnExecClaimFromAnotherProgramCountsForNothing) {
  WriteConfig(Credential("gh", "allow = [\"exec:/bin/true\"]"));
  ASSERT_NE(StartAgent(), nullptr);
  // This test binary says what mcpcred-exec would say.
  std::unique_ptr<Client> client = TestClient("/bin/true");
  ASSERT_NE(client, nullptr);
  absl::StatusOr<v1::Credential> refused = client->GetCredential("gh");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr(absl::StrCat("add \"exe:", SelfExe(), "\"")));
}

TEST_F(CallerPolicyTest, ACgroupRuleAdmitsTheCgroupsBelowIt) {
  // The test's own cgroup v2 path; the CLI it starts runs in the same one.
  std::string cgroup;
  for (absl::string_view line :
       absl::StrSplit(ReadFileOrEmpty("/proc/self/cgroup"), '\n')) {
    if (absl::ConsumePrefix(&line, "0::")) cgroup = std::string(line);
  }
  if (cgroup.empty()) GTEST_SKIP() << "no cgroup v2 hierarchy here";
  WriteConfig(
      Credential("in", absl::StrCat("allow = [\"cgroup:", cgroup, "\"]")) +
      Credential("out", "allow = [\"cgroup:/no-such.slice\"]"));
  ASSERT_NE(StartAgent(), nullptr);
  CommandResult in = Cli({"token", "in"});
  EXPECT_EQ(in.exit_code, 0) << Show(in);
  CommandResult out = Cli({"token", "out"});
  EXPECT_NE(out.exit_code, 0) << Show(out);
  EXPECT_THAT(out.err, HasSubstr("is not allowed for"));
}

TEST_F(CallerPolicyTest, CredentialsWithoutRulesServeEveryone) {
  WriteConfig(Credential("open", "") + Credential("closed", "allow = []"));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = TestClient();
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->GetCredential("open").ok());
  absl::StatusOr<v1::Credential> closed = client->GetCredential("closed");
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kPermissionDenied);
  std::vector<nlohmann::json> audit = AuditFor("open");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_FALSE(audit[0].contains("policy")) << audit[0].dump();
}

TEST_F(CallerPolicyTest,
       WatchAndRedactionValuesLeaveOutWhatTheCallerMayNotHave) {
  WriteConfig(Credential("open", "") + Credential("closed", "allow = []"));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = TestClient();
  ASSERT_NE(client, nullptr);
  // Both are fetched (static secrets are) and so held for redaction.
  ASSERT_TRUE(client->GetCredential("open").ok());

  absl::StatusOr<v1::GetRedactionValuesResponse> values =
      client->GetRedactionValues();
  ASSERT_TRUE(values.ok()) << values.status();
  bool open_seen = false;
  for (const v1::RedactionValue& value : values->values()) {
    EXPECT_NE(value.credential(), "closed");
    open_seen |= value.credential() == "open";
  }
  EXPECT_TRUE(open_seen);

  std::map<std::string, v1::CredentialEvent> snapshots;
  LoginCanceller canceller;
  absl::Status watched = client->Watch(
      {"open", "closed"},
      [&](const v1::CredentialEvent& event) {
        if (event.kind() == v1::CredentialEvent::SNAPSHOT) {
          snapshots[event.name()] = event;
        }
        if (event.kind() == v1::CredentialEvent::SYNCED) canceller.Cancel();
      },
      &canceller);
  EXPECT_EQ(watched.code(), absl::StatusCode::kCancelled) << watched;
  ASSERT_EQ(snapshots.count("closed"), 1u);
  EXPECT_FALSE(snapshots["closed"].has_credential());
  EXPECT_EQ(snapshots["closed"].error_code(),
            static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(snapshots["closed"].error_message(),
              HasSubstr("is not allowed for"));
}

TEST_F(CallerPolicyTest, ConfirmYesIsRememberedForThatProcess) {
  WriteConfig(Credential("gh", "confirm = true"));
  ASSERT_NE(StartAgent({}, {{"MCPCRED_ASKPASS", Askpass("exit 0")}}), nullptr);
  std::unique_ptr<Client> client = TestClient();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->GetCredential("gh").ok());
  ASSERT_TRUE(client->GetCredential("gh").ok());
  std::vector<std::string> asked = Asked();
  ASSERT_EQ(asked.size(), 1u) << "one question for one process";
  EXPECT_THAT(asked[0], HasSubstr(absl::StrCat("confirm|Allow ", SelfExe(),
                                               " (pid ", getpid())));
  EXPECT_THAT(asked[0], HasSubstr("to use the credential \"gh\"?"));
  EXPECT_FALSE(ContainsSecret(asked[0]));

  // Another process is asked again.
  CommandResult cli = Cli({"token", "gh"});
  EXPECT_EQ(cli.exit_code, 0) << Show(cli);
  EXPECT_EQ(Asked().size(), 2u);

  std::vector<nlohmann::json> audit = AuditFor("gh");
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].value("policy", ""), "confirmed");
  EXPECT_EQ(audit[1].value("policy", ""), "confirmed earlier");
  EXPECT_EQ(audit[2].value("policy", ""), "confirmed");
}

// A client cache lives on Watch: before the person was asked, the event
// carries neither value nor error, so that the cache asks GetCredential,
// which asks the person; a Watch itself never prompts.
TEST_F(CallerPolicyTest, AWatchSendsAConfirmCredentialOnlyOnceConfirmed) {
  WriteConfig(Credential("gh", "confirm = true"));
  ASSERT_NE(StartAgent({}, {{"MCPCRED_ASKPASS", Askpass("exit 0")}}), nullptr);
  std::unique_ptr<Client> client = TestClient();
  ASSERT_NE(client, nullptr);
  auto snapshot = [&] {
    v1::CredentialEvent snapshot;
    LoginCanceller canceller;
    absl::Status watched = client->Watch(
        {"gh"},
        [&](const v1::CredentialEvent& event) {
          if (event.kind() == v1::CredentialEvent::SNAPSHOT) snapshot = event;
          if (event.kind() == v1::CredentialEvent::SYNCED) canceller.Cancel();
        },
        &canceller);
    EXPECT_EQ(watched.code(), absl::StatusCode::kCancelled) << watched;
    return snapshot;
  };
  v1::CredentialEvent before = snapshot();
  EXPECT_FALSE(before.has_credential());
  EXPECT_EQ(before.error_code(), 0);
  EXPECT_THAT(before.error_message(), HasSubstr("needs your confirmation"));
  EXPECT_TRUE(Asked().empty()) << "a Watch never asks";

  ASSERT_TRUE(client->GetCredential("gh").ok());
  EXPECT_EQ(Asked().size(), 1u);
  v1::CredentialEvent after = snapshot();
  EXPECT_TRUE(after.has_credential());
  EXPECT_EQ(Asked().size(), 1u);
}

TEST_F(CallerPolicyTest, ConfirmNoIsARefusal) {
  WriteConfig(Credential("gh", "confirm = true"));
  ASSERT_NE(StartAgent({}, {{"MCPCRED_ASKPASS", Askpass("echo no")}}), nullptr);
  CommandResult refused = Cli({"token", "gh"});
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  EXPECT_THAT(refused.err, HasSubstr("credential \"gh\" needs your "
                                     "confirmation for "));
  EXPECT_THAT(refused.err, HasSubstr(": you refused it"));
  EXPECT_TRUE(refused.out.empty());
  std::vector<nlohmann::json> audit = AuditFor("gh");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].value("outcome", ""), "PERMISSION_DENIED");
  EXPECT_EQ(audit[0].value("policy", ""), "refused");
}

TEST_F(CallerPolicyTest, NoAnswerIsARefusal) {
  WriteConfig(Credential("gh", "confirm = true\nconfirm_timeout = \"200ms\""));
  ASSERT_NE(StartAgent({}, {{"MCPCRED_ASKPASS", Askpass("exec sleep 600")}}),
            nullptr);
  CommandResult refused = Cli({"token", "gh"});
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  EXPECT_THAT(refused.err, HasSubstr(": no answer within 200ms"));
  std::vector<nlohmann::json> audit = AuditFor("gh");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].value("policy", ""), "no answer");
}

TEST_F(CallerPolicyTest, AllowIsCheckedBeforeAnyoneIsAsked) {
  WriteConfig(Credential("gh", "allow = [\"exec\"]\nconfirm = true"));
  ASSERT_NE(StartAgent({}, {{"MCPCRED_ASKPASS", Askpass("exit 0")}}), nullptr);
  CommandResult refused = Cli({"token", "gh"});
  EXPECT_NE(refused.exit_code, 0) << Show(refused);
  EXPECT_THAT(refused.err, HasSubstr("is not allowed for"));
  EXPECT_TRUE(Asked().empty()) << "nobody asked for a refused caller";
  CommandResult exec = Exec({"gh", "--", "/bin/true"});
  EXPECT_EQ(exec.exit_code, 0) << Show(exec);
  EXPECT_EQ(Asked().size(), 1u);
}

}  // namespace
}  // namespace mcpcred::testing

// `mcpcred-agent --extra-socket PATH`: a second socket, for forwarding with
// `ssh -R`, that hands out and lists credentials but refuses every call that
// changes the agent or reads more than a credential, and does not show
// credentials with `forward = false`. The restriction is the agent's, per
// connection: these tests use the ordinary clients on that socket.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "mcpcred/client.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

constexpr char kDenied[] = "is not allowed on the agent's extra socket";

class ExtraSocketTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    hidden_ = NewSecret();
    WriteConfig(StaticCredentialToml("gh") +
                "[credential.private]\n"
                "provider = \"static\"\n"
                "secret = \"env:ITEST_HIDDEN\"\n"
                "env = { PRIVATE_TOKEN = \"{secret}\" }\n"
                "forward = false\n");
    agent_ = StartAgent({"--extra-socket", extra_path()},
                        {{"ITEST_HIDDEN", hidden_}});
  }

  std::string extra_dir() const { return base_dir() + "/fwd"; }
  std::string extra_path() const { return extra_dir() + "/extra.sock"; }

  // `mcpcred ARGS` on the extra socket.
  CommandResult Extra(const std::vector<std::string>& args,
                      const std::optional<std::string>& input = {}) {
    return Cli(args, {{"MCPCRED_SOCK", extra_path()}}, input);
  }

  void ExpectDenied(const std::vector<std::string>& args,
                    const std::string& rpc,
                    const std::optional<std::string>& input = {}) {
    CommandResult result = Extra(args, input);
    EXPECT_NE(result.exit_code, 0) << args[0] << ": " << Show(result);
    EXPECT_TRUE(absl::StartsWith(
        result.err,
        absl::StrCat("mcpcred: ", rpc, " ", kDenied, " ", extra_path())))
        << args[0] << ": " << Show(result);
  }

  std::unique_ptr<Client> ExtraClient() {
    ClientOptions options;
    options.socket_path = extra_path();
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  std::string hidden_;
  AgentProcess* agent_ = nullptr;
};

TEST_F(ExtraSocketTest, IsMadeLikeTheMainSocket) {
  ASSERT_NE(agent_, nullptr);
  struct stat st;
  ASSERT_EQ(stat(extra_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(stat(extra_path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  CommandResult status = Cli({"status"});
  EXPECT_TRUE(absl::StrContains(status.out, "extra socket:    " + extra_path()))
      << Show(status);
}

TEST_F(ExtraSocketTest, ServesTheReadCalls) {
  ASSERT_NE(agent_, nullptr);
  CommandResult token = Extra({"token", "gh"});
  EXPECT_EQ(token.exit_code, 0) << Show(token);
  EXPECT_TRUE(token.out == secret() + "\n") << Hide(token.out);
  CommandResult env = Extra({"env", "gh"});
  EXPECT_EQ(env.exit_code, 0) << Show(env);
  CommandResult list = Extra({"list"});
  EXPECT_EQ(list.exit_code, 0) << Show(list);
  EXPECT_TRUE(absl::StrContains(list.out, "gh")) << Show(list);
  CommandResult keys = Extra({"secret-keys"});
  EXPECT_EQ(keys.exit_code, 0) << Show(keys);
  EXPECT_TRUE(absl::StrContains(keys.out, "GITHUB_TOKEN")) << Show(keys);
  CommandResult redact = Extra({"redact"}, "a " + secret() + " b\n");
  EXPECT_EQ(redact.exit_code, 0) << Show(redact);
  EXPECT_EQ(redact.out, "a [REDACTED:gh] b\n") << Show(redact);
  CommandResult run =
      Exec({"gh", "--", "sh", "-c", "test -n \"$GITHUB_TOKEN\""},
           {{"MCPCRED_SOCK", extra_path()}});
  EXPECT_EQ(run.exit_code, 0) << Show(run);

  // Watch: a snapshot of the forwarded credential only.
  std::unique_ptr<Client> client = ExtraClient();
  ASSERT_NE(client, nullptr);
  std::vector<std::string> seen;
  LoginCanceller canceller;
  absl::Status watch = client->Watch(
      {},
      [&](const v1::CredentialEvent& event) {
        if (event.kind() == v1::CredentialEvent::SYNCED) {
          canceller.Cancel();
        } else {
          seen.push_back(event.name());
        }
      },
      &canceller);
  EXPECT_TRUE(absl::IsCancelled(watch)) << watch;
  EXPECT_EQ(seen, std::vector<std::string>{"gh"});
}

TEST_F(ExtraSocketTest, ForwardFalseIsInvisibleThere) {
  ASSERT_NE(agent_, nullptr);
  CommandResult token = Extra({"token", "private"});
  EXPECT_EQ(token.exit_code, 4) << Show(token);
  EXPECT_EQ(token.err,
            "mcpcred: no credential named \"private\": see 'mcpcred list'\n")
      << Show(token);
  CommandResult list = Extra({"list", "--json"});
  EXPECT_EQ(list.exit_code, 0) << Show(list);
  EXPECT_FALSE(absl::StrContains(list.out, "private")) << Show(list);
  CommandResult keys = Extra({"secret-keys"});
  EXPECT_FALSE(absl::StrContains(keys.out, "PRIVATE_TOKEN")) << Show(keys);
  std::unique_ptr<Client> client = ExtraClient();
  ASSERT_NE(client, nullptr);
  absl::Status watch =
      client->Watch({"private"}, [](const v1::CredentialEvent&) {});
  EXPECT_TRUE(absl::IsNotFound(watch)) << watch;

  // The main socket still has it.
  CommandResult main = Cli({"token", "private"});
  EXPECT_EQ(main.exit_code, 0) << Show(main);
  EXPECT_TRUE(main.out == hidden_ + "\n") << Hide(main.out);
}

TEST_F(ExtraSocketTest, RefusesEveryOtherCall) {
  ASSERT_NE(agent_, nullptr);
  ExpectDenied({"status"}, "GetStatus");
  ExpectDenied({"reload"}, "Reload");
  ExpectDenied({"add", "other"}, "AddSecret", NewSecret());
  ExpectDenied({"remove", "other"}, "RemoveSecret");
  ExpectDenied({"login", "gh"}, "Login");
  ExpectDenied({"logout", "gh"}, "Logout");
  ExpectDenied({"lock"}, "Lock", NewSecret());
  ExpectDenied({"unlock"}, "Unlock", NewSecret());
  std::unique_ptr<Client> client = ExtraClient();
  ASSERT_NE(client, nullptr);
  absl::StatusOr<v1::GetRedactionValuesResponse> values =
      client->GetRedactionValues();
  EXPECT_EQ(values.status().code(), absl::StatusCode::kPermissionDenied)
      << values.status();
  v1::ReportRedactionsRequest report;
  report.set_source("test");
  (*report.mutable_counts())["gh"] = 1;
  absl::Status reported = client->ReportRedactions(report);
  EXPECT_EQ(reported.code(), absl::StatusCode::kPermissionDenied) << reported;
  // And the agent is unchanged: the main socket is not locked.
  CommandResult token = Cli({"token", "gh"});
  EXPECT_EQ(token.exit_code, 0) << Show(token);
}

}  // namespace
}  // namespace mcpcred::testing

// The client without an agent: socket discovery and "no agent" detection.
// Calls against a real agent are covered by tests/integration.
#include "mcpcred/client.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/mcpcred-client-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    unlink((dir_ + "/stale.sock").c_str());
    rmdir(dir_.c_str());
  }

  std::unique_ptr<Client> MakeClient(const std::string& path) {
    ClientOptions options;
    options.socket_path = path;
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  std::string dir_;
};

TEST_F(ClientTest, CreateUsesMcpcredSock) {
  ASSERT_EQ(setenv("MCPCRED_SOCK", "/run/x/agent.sock", 1), 0);
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create();
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->socket_path(), "/run/x/agent.sock");
  unsetenv("MCPCRED_SOCK");
}

TEST_F(ClientTest, CreateFailsWithoutAnySocketPath) {
  unsetenv("MCPCRED_SOCK");
  unsetenv("XDG_RUNTIME_DIR");
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create();
  EXPECT_EQ(client.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ClientTest, MissingSocketFileIsUnreachable) {
  std::string path = dir_ + "/missing.sock";
  std::unique_ptr<Client> client = MakeClient(path);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<v1::AgentStatus> status = client->GetStatus();
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(IsAgentUnreachable(status.status())) << status.status();
  EXPECT_EQ(status.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.status().message(),
            "no mcpcred agent answers on " + path +
                ": start one with 'systemctl --user start "
                "mcpcred-agent.socket' or 'eval \"$(mcpcred-agent -s)\"'");
}

TEST_F(ClientTest, StaleSocketIsUnreachable) {
  // A socket file left behind by a dead agent: connect() is refused.
  std::string path = dir_ + "/stale.sock";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);

  std::unique_ptr<Client> client = MakeClient(path);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<v1::Credential> credential = client->GetCredential("github");
  EXPECT_TRUE(IsAgentUnreachable(credential.status())) << credential.status();
  absl::Status logout = client->Logout("github");
  EXPECT_TRUE(IsAgentUnreachable(logout)) << logout;
  absl::Status login =
      client->Login(v1::LoginRequest(), [](const v1::LoginEvent&) {});
  EXPECT_TRUE(IsAgentUnreachable(login)) << login;
}

TEST_F(ClientTest, CancelledBeforeLoginStartsEndsAtOnce) {
  std::unique_ptr<Client> client = MakeClient(dir_ + "/missing.sock");
  ASSERT_NE(client, nullptr);
  LoginCanceller canceller;
  canceller.Cancel();
  int events = 0;
  absl::Status status = client->Login(
      v1::LoginRequest(), [&](const v1::LoginEvent&) { ++events; }, &canceller);
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(canceller.cancelled());
  EXPECT_EQ(events, 0);
}

TEST(IsAgentUnreachableTest, OnlyForTheNoAgentError) {
  EXPECT_FALSE(IsAgentUnreachable(absl::OkStatus()));
  EXPECT_FALSE(IsAgentUnreachable(absl::UnavailableError("upstream down")));
  EXPECT_FALSE(IsAgentUnreachable(
      absl::InternalError("no mcpcred agent answers on /x: start one")));
  // Rebuilt from code and message only (e.g. after crossing a process).
  EXPECT_TRUE(IsAgentUnreachable(
      absl::UnavailableError("no mcpcred agent answers on /x: start one")));
}

}  // namespace
}  // namespace mcpcred

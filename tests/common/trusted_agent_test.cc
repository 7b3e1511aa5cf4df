// ConnectToTrustedAgent against listeners of this process (the same uid);
// listeners of other uids are in tests/integration/impostor_test.cc.
#include "mcpcred/common/trusted_agent.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

using ::absl::StatusCode;

class TrustedAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/mcpcred-trusted-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    socket_path_ = dir_ + "/agent.sock";
  }
  void TearDown() override {
    if (listener_ >= 0) close(listener_);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Binds socket_path_; listens unless `listen_too` is false (a stale file).
  void Bind(bool listen_too = true) {
    listener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_path_.c_str(),
                 sizeof(addr.sun_path) - 1);
    ASSERT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)),
              0);
    if (listen_too) {
      ASSERT_EQ(listen(listener_, 8), 0);
    } else {
      close(listener_);
      listener_ = -1;
    }
  }

  std::string dir_;
  std::string socket_path_;
  int listener_ = -1;
};

TEST_F(TrustedAgentTest, AListenerOfThisUidIsTrustedAndNamed) {
  ASSERT_NO_FATAL_FAILURE(Bind());

  absl::StatusOr<TrustedAgentSocket> agent =
      ConnectToTrustedAgent(socket_path_);

  ASSERT_TRUE(agent.ok()) << agent.status();
  EXPECT_GE(agent->fd, 0);
  EXPECT_EQ(agent->pid, getpid());
  EXPECT_EQ(agent->uid, geteuid());
  close(agent->fd);
}

TEST_F(TrustedAgentTest, NothingListeningIsUnavailable) {
  // No file, no directory, a stale socket file.
  EXPECT_EQ(ConnectToTrustedAgent(socket_path_).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(ConnectToTrustedAgent(dir_ + "/gone/agent.sock").status().code(),
            StatusCode::kUnavailable);
  ASSERT_NO_FATAL_FAILURE(Bind(/*listen_too=*/false));
  absl::Status stale = ConnectToTrustedAgent(socket_path_).status();
  EXPECT_EQ(stale.code(), StatusCode::kUnavailable) << stale;
  EXPECT_TRUE(absl::StrContains(stale.message(), socket_path_)) << stale;
}

TEST_F(TrustedAgentTest, AnUnsafeDirectoryIsRefusedBeforeConnecting) {
  ASSERT_NO_FATAL_FAILURE(Bind());
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);

  absl::Status refused = ConnectToTrustedAgent(socket_path_).status();

  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "chmod go-w " + dir_))
      << refused;
}

TEST_F(TrustedAgentTest, APathTooLongForASocketIsInvalid) {
  EXPECT_EQ(
      ConnectToTrustedAgent(dir_ + "/" + std::string(120, 'a')).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(ConnectToTrustedAgent("").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mcpcred

#include "agent/daemon/systemd_protocol.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

// A datagram socket bound where NOTIFY_SOCKET will point, as systemd's.
class ServiceManager {
 public:
  // `name`: a path, or "@name" for an abstract socket.
  explicit ServiceManager(const std::string& name) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, name.data(), name.size());
    socklen_t len =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    if (name[0] == '@') addr.sun_path[0] = '\0';
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0;
    setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  ~ServiceManager() {
    unsetenv("NOTIFY_SOCKET");
    close(fd_);
  }
  bool bound() const { return bound_; }
  std::string Receive() {
    char buffer[256];
    ssize_t n = recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
    return n < 0 ? "(nothing)" : std::string(buffer, static_cast<size_t>(n));
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

TEST(NotifyServiceManagerTest, SendsTheStateToAPathSocket) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/notify-", getpid());
  unlink(path.c_str());
  ServiceManager manager(path);
  ASSERT_TRUE(manager.bound());
  EXPECT_TRUE(NotifyServiceManager("READY=1"));
  EXPECT_EQ(manager.Receive(), "READY=1");
  unlink(path.c_str());
}

TEST(NotifyServiceManagerTest, SendsTheStateToAnAbstractSocket) {
  ServiceManager manager(absl::StrCat("@mcpcred-notify-test-", getpid()));
  ASSERT_TRUE(manager.bound());
  EXPECT_TRUE(NotifyServiceManager("STOPPING=1"));
  EXPECT_EQ(manager.Receive(), "STOPPING=1");
}

TEST(NotifyServiceManagerTest, WithoutNotifySocketNothingIsSent) {
  unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(NotifyServiceManager("READY=1"));
  setenv("NOTIFY_SOCKET", "relative/path", 1);
  EXPECT_FALSE(NotifyServiceManager("READY=1"));
  unsetenv("NOTIFY_SOCKET");
}

TEST(TakeListenFdsTest, SocketsForAnotherProcessAreNotTaken) {
  setenv("LISTEN_PID", absl::StrCat(getpid() + 1).c_str(), 1);
  setenv("LISTEN_FDS", "1", 1);
  EXPECT_EQ(TakeListenFds(), 0);
  EXPECT_EQ(getenv("LISTEN_PID"), nullptr);
  EXPECT_EQ(getenv("LISTEN_FDS"), nullptr);
}

TEST(TakeListenFdsTest, NoVariablesNoSockets) {
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  EXPECT_EQ(TakeListenFds(), 0);
}

TEST(IsListeningUnixStreamTest, TellsListeningUnixStreamsApart) {
  int listening = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string name = absl::StrCat("mcpcred-listen-test-", getpid());
  memcpy(addr.sun_path + 1, name.data(), name.size());  // abstract
  ASSERT_EQ(bind(listening, reinterpret_cast<sockaddr*>(&addr),
                 static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 +
                                        name.size())),
            0);
  EXPECT_FALSE(IsListeningUnixStream(listening)) << "bound, not listening";
  ASSERT_EQ(listen(listening, 1), 0);
  EXPECT_TRUE(IsListeningUnixStream(listening));
  int datagram = socket(AF_UNIX, SOCK_DGRAM, 0);
  EXPECT_FALSE(IsListeningUnixStream(datagram));
  int inet = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(listen(inet, 1), 0);
  EXPECT_FALSE(IsListeningUnixStream(inet)) << "TCP";
  EXPECT_FALSE(IsListeningUnixStream(-1));
  close(listening);
  close(datagram);
  close(inet);
}

}  // namespace
}  // namespace mcpcred

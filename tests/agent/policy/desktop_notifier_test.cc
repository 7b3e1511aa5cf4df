// Without a session bus the notification is unavailable at once, with a
// reason; the real server is tested in tests/integration/notification_test.
#include "agent/policy/desktop_notifier.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(DesktopNotifierTest, NoSessionBusIsUnavailable) {
  unsetenv("DBUS_SESSION_BUS_ADDRESS");
  setenv("XDG_RUNTIME_DIR", ::testing::TempDir().c_str(), 1);
  absl::StatusOr<bool> answer =
      AskByNotification("Allow it?", absl::Seconds(30), -1);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(answer.status().message(),
            "no session D-Bus for a desktop notification "
            "($DBUS_SESSION_BUS_ADDRESS is not set)");
}

TEST(DesktopNotifierTest, ABusWithoutANotificationServerIsUnavailable) {
  // Nothing listens there: the connection fails, within the timeout.
  setenv("DBUS_SESSION_BUS_ADDRESS",
         ("unix:path=" + ::testing::TempDir() + "/no-bus").c_str(), 1);
  absl::StatusOr<bool> answer =
      AskByNotification("Allow it?", absl::Seconds(30), -1);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(answer.status().message().find("cannot connect to the session "
                                           "D-Bus"),
            std::string::npos)
      << answer.status().message();
}

}  // namespace
}  // namespace mcpcred

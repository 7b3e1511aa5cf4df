#include "agent/store/call_watchdog.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(CallWatchdogTest, FiresOnceTheDeadlinePasses) {
  CallWatchdog watchdog;
  absl::Notification fired;
  watchdog.Arm(absl::Now() + absl::Milliseconds(20),
               [&fired] { fired.Notify(); });
  // A safety limit, not a timing assertion.
  EXPECT_TRUE(fired.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_TRUE(watchdog.Disarm());
}

TEST(CallWatchdogTest, DisarmedInTimeNeverFires) {
  CallWatchdog watchdog;
  std::atomic<int> fired{0};
  for (int i = 0; i < 100; ++i) {
    watchdog.Arm(absl::Now() + absl::Hours(1), [&fired] { ++fired; });
    EXPECT_FALSE(watchdog.Disarm());
  }
  EXPECT_EQ(fired.load(), 0);
}

TEST(CallWatchdogTest, CanBeReusedAfterFiring) {
  CallWatchdog watchdog;
  for (int i = 0; i < 3; ++i) {
    absl::Notification fired;
    watchdog.Arm(absl::Now(), [&fired] { fired.Notify(); });
    EXPECT_TRUE(fired.WaitForNotificationWithTimeout(absl::Seconds(30)));
    watchdog.Disarm();
  }
}

TEST(CallWatchdogTest, NeverArmedStartsNoThread) {
  CallWatchdog watchdog;  // destroyed without a thread to join
}

}  // namespace
}  // namespace mcpcred

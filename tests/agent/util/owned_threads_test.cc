// The registry of login and logout threads: Stop() waits for the tasks,
// makes them see stopping(), and abandons (without waiting further) a task
// that does not end by the deadline.
#include "agent/util/owned_threads.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(OwnedThreadsTest, StopLetsTasksSeeItAndJoinsThem) {
  OwnedThreads threads;
  std::atomic<int> ended{0};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(threads.Start(
        [&] {
          while (!threads.stopping()) absl::SleepFor(absl::Milliseconds(1));
          ++ended;
        },
        [] { ADD_FAILURE() << "abandoned a task that ended"; }));
  }
  EXPECT_EQ(threads.Stop(absl::InfiniteFuture()), 0u);
  EXPECT_EQ(ended.load(), 3);
  EXPECT_FALSE(threads.Start([] {}, nullptr)) << "started after Stop()";
}

TEST(OwnedThreadsTest, ATaskThatIgnoresTheStopIsAbandonedAtTheDeadline) {
  absl::Notification release;
  int abandoned = 0;
  OwnedThreads threads;
  ASSERT_TRUE(threads.Start([&] { release.WaitForNotification(); },
                            [&] { ++abandoned; }));
  EXPECT_EQ(threads.Stop(absl::Now() + absl::Milliseconds(50)), 1u);
  EXPECT_EQ(abandoned, 1);
  release.Notify();  // the destructor joins it
}

}  // namespace
}  // namespace mcpcred

// ThreadPool::Stop: queued tasks run, workers are joined, and a worker stuck
// in a task is reported (and left) at the deadline instead of waited for.
#include "agent/util/thread_pool.h"

#include <atomic>
#include <memory>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(ThreadPoolTest, StopRunsWhatIsQueuedAndJoins) {
  ThreadPool pool(2);
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) pool.Schedule([&] { ++ran; });
  EXPECT_EQ(pool.Stop(absl::InfiniteFuture()), 0);
  EXPECT_EQ(ran.load(), 10);
}

TEST(ThreadPoolTest, StopReportsAWorkerStuckInATask) {
  // Never destroyed, as Stop() requires of a pool it left a worker in.
  static ThreadPool* const pool = new ThreadPool(1);
  auto release = std::make_shared<absl::Notification>();
  auto started = std::make_shared<absl::Notification>();
  pool->Schedule([release, started] {
    started->Notify();
    release->WaitForNotification();
  });
  started->WaitForNotification();
  EXPECT_EQ(pool->Stop(absl::Now() + absl::Milliseconds(50)), 1);
  release->Notify();
}

}  // namespace
}  // namespace mcpcred

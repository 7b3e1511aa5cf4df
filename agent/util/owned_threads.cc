#include "agent/util/owned_threads.h"

#include <utility>

namespace mcpcred {

OwnedThreads::~OwnedThreads() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](size_t* running) { return *running == 0; }, &running_));
  ReapLocked();
}

bool OwnedThreads::Start(std::function<void()> task,
                         std::function<void()> abandon) {
  absl::MutexLock lock(&mu_);
  if (stopping()) return false;
  ReapLocked();
  auto it = tasks_.emplace(tasks_.end());
  it->abandon = std::move(abandon);
  ++running_;
  it->thread = std::thread([this, it, task = std::move(task)]() mutable {
    task();
    absl::MutexLock lock(&mu_);
    // Under the lock: Stop() never calls `abandon` on what is destroyed.
    task = nullptr;
    it->abandon = nullptr;
    it->done = true;
    --running_;
  });
  return true;
}

void OwnedThreads::ReapLocked() {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (!it->done) {
      ++it;
      continue;
    }
    // Its task has returned: the thread only unlocks and ends.
    it->thread.join();
    it = tasks_.erase(it);
  }
}

size_t OwnedThreads::Stop(absl::Time deadline) {
  stopping_.store(true, std::memory_order_release);
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithDeadline(
      absl::Condition(
          +[](size_t* running) { return *running == 0; }, &running_),
      deadline);
  ReapLocked();
  for (Task& task : tasks_) {
    if (task.abandon) task.abandon();
  }
  return running_;
}

}  // namespace mcpcred

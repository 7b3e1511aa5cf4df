#include "agent/util/thread_pool.h"

#include <algorithm>
#include <utility>

namespace mcpcred {

ThreadPool::ThreadPool(int threads, int max_threads)
    : max_threads_(std::max(threads, max_threads)) {
  absl::MutexLock lock(&mu_);
  workers_.reserve(threads);
  for (int i = 0; i < threads; ++i) StartWorkerLocked();
}

ThreadPool::~ThreadPool() {
  std::vector<std::thread> workers;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    // No worker is added once stopping_ is set.
    workers.swap(workers_);
  }
  for (std::thread& worker : workers) worker.join();
}

void ThreadPool::StartWorkerLocked() {
  ++idle_;
  workers_.emplace_back([this] { WorkerLoop(); });
}

void ThreadPool::Schedule(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(task));
  if (!stopping_ && idle_ < static_cast<int>(queue_.size()) &&
      static_cast<int>(workers_.size()) < max_threads_) {
    StartWorkerLocked();
  }
}

int ThreadPool::threads() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(workers_.size());
}

void ThreadPool::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](ThreadPool* pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool->mu_) {
            return pool->stopping_ || !pool->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
      --idle_;
    }
    task();
    absl::MutexLock lock(&mu_);
    ++idle_;
  }
}

}  // namespace mcpcred

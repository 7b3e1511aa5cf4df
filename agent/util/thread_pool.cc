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

int ThreadPool::Stop(absl::Time deadline) {
  std::vector<std::thread> workers;
  int stuck = 0;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    mu_.AwaitWithDeadline(absl::Condition(
                              +[](int* alive) { return *alive == 0; }, &alive_),
                          deadline);
    stuck = alive_;
    workers.swap(workers_);
  }
  for (std::thread& worker : workers) {
    if (stuck == 0) {
      worker.join();
    } else {
      worker.detach();
    }
  }
  return stuck;
}

void ThreadPool::StartWorkerLocked() {
  ++idle_;
  ++alive_;
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
      if (queue_.empty()) {  // stopping, and nothing left to run
        --alive_;
        return;
      }
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

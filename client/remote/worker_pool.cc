#include "worker_pool.h"

namespace mcpcred::remote {

WorkerPool::~WorkerPool() { Join(); }

void WorkerPool::Submit(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  tasks_.push_back(std::move(task));
  if (idle_ < static_cast<int>(tasks_.size())) {
    threads_.emplace_back([this] { Work(); });
  }
}

void WorkerPool::Work() {
  absl::MutexLock lock(&mu_);
  for (;;) {
    ++idle_;
    mu_.Await(absl::Condition(
        +[](WorkerPool* pool) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return !pool->tasks_.empty() || pool->stopping_;
        },
        this));
    --idle_;
    if (tasks_.empty()) return;  // stopping
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    ++running_;
    mu_.Unlock();
    task();
    mu_.Lock();
    --running_;
  }
}

bool WorkerPool::WaitIdle(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(
      absl::Condition(
          +[](WorkerPool* pool) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return pool->tasks_.empty() && pool->running_ == 0;
          },
          this),
      timeout);
}

void WorkerPool::Join() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

}  // namespace mcpcred::remote

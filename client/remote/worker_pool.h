// Threads for the bridge's concurrent exchanges: a task waits for no other
// (a long tool call's stream must not hold up a quick one), so the pool
// starts a thread whenever none is idle. Threads stay for later tasks.
//
// Thread-safe.
#ifndef MCPCRED_CLIENT_REMOTE_WORKER_POOL_H_
#define MCPCRED_CLIENT_REMOTE_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace mcpcred::remote {

class WorkerPool {
 public:
  WorkerPool() = default;
  // Join() must have been called.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task);
  // Blocks until no task is queued or running, or `timeout` passes; returns
  // whether all are done.
  bool WaitIdle(absl::Duration timeout);
  // Runs what is queued, then stops and joins the threads.
  void Join();

 private:
  void Work();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  int idle_ ABSL_GUARDED_BY(mu_) = 0;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_WORKER_POOL_H_

// A fixed set of worker threads running queued tasks in FIFO order. Provider
// calls (which may block on I/O) run here, never on a gRPC thread.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_UTIL_THREAD_POOL_H_
#define MCPCRED_AGENT_UTIL_THREAD_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace mcpcred {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  // Runs the tasks already queued, then joins the workers.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Schedule(std::function<void()> task);

 private:
  void WorkerLoop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_THREAD_POOL_H_

// Worker threads running queued tasks in FIFO order. Provider calls (which
// may block on I/O) run here, never on a gRPC thread.
//
// The pool starts `threads` workers and, when a task is queued while none is
// idle, adds one more, up to `max_threads`: a provider that hangs holds one
// thread, and the other credentials' fetches get others.
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
  // `max_threads` below `threads` means exactly `threads`.
  explicit ThreadPool(int threads, int max_threads = 0);
  // Runs the tasks already queued, then joins the workers.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Schedule(std::function<void()> task);
  // Workers started so far.
  int threads() const;

 private:
  void WorkerLoop();
  void StartWorkerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int max_threads_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int idle_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_THREAD_POOL_H_

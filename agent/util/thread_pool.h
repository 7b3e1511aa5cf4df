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
#include "absl/time/time.h"

namespace mcpcred {

class ThreadPool {
 public:
  // `max_threads` below `threads` means exactly `threads`.
  explicit ThreadPool(int threads, int max_threads = 0);
  // Runs the tasks already queued, then joins the workers (unless Stop()
  // did).
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Schedule(std::function<void()> task);
  // Workers started so far.
  int threads() const;

  // Runs the tasks already queued and waits until `deadline` for the
  // workers to end, then joins them. Returns 0 then; else how many are still
  // in a task that did not return (a hung provider call), whose threads are
  // left running: the pool, and whatever its tasks use, must then never be
  // destroyed. Call once.
  int Stop(absl::Time deadline);

 private:
  void WorkerLoop();
  void StartWorkerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int max_threads_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int idle_ ABSL_GUARDED_BY(mu_) = 0;
  int alive_ ABSL_GUARDED_BY(mu_) = 0;  // workers not yet out of their loop
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_THREAD_POOL_H_

// Threads started for one long task each (a login that waits minutes for a
// person, a logout that revokes over the network), kept in a registry so
// that the agent can stop them and wait for them when it exits, instead of
// leaving them detached. A thread whose task ended is joined when the next
// starts or at Stop().
//
// Thread-safe.
#ifndef MCPCRED_AGENT_UTIL_OWNED_THREADS_H_
#define MCPCRED_AGENT_UTIL_OWNED_THREADS_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <list>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace mcpcred {

class OwnedThreads {
 public:
  OwnedThreads() = default;
  // Joins every thread: call Stop() first, and never destroy a registry
  // whose Stop() left threads running.
  ~OwnedThreads();
  OwnedThreads(const OwnedThreads&) = delete;
  OwnedThreads& operator=(const OwnedThreads&) = delete;

  // Runs `task` on a thread of its own. `abandon` (may be null) is called if
  // the task still runs when Stop() gives up on it: it must end the task's
  // RPC at once. Both are destroyed (under the registry's lock) once `task`
  // returned, never while `abandon` runs. Returns false, running nothing,
  // once Stop() was called.
  bool Start(std::function<void()> task, std::function<void()> abandon);

  // True once Stop() was called: a running task should end soon (a login
  // counts as cancelled).
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  // Refuses new tasks and waits until every running one ended or `deadline`
  // passed, joining those that ended. Calls `abandon` for each task still
  // running and returns how many those are (0: all joined).
  size_t Stop(absl::Time deadline);

 private:
  struct Task {
    std::function<void()> abandon;
    std::thread thread;
    bool done = false;
  };
  // Joins the threads whose task ended.
  void ReapLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::atomic<bool> stopping_{false};
  mutable absl::Mutex mu_;
  std::list<Task> tasks_ ABSL_GUARDED_BY(mu_);
  size_t running_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_OWNED_THREADS_H_

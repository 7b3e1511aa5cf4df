// Turns SIGINT into a call on an ordinary thread, so that code a signal
// handler may not run (a mutex, grpc::ClientContext::TryCancel) can react.
#ifndef MCPCRED_CLIENT_CLI_INTERRUPT_WATCHER_H_
#define MCPCRED_CLIENT_CLI_INTERRUPT_WATCHER_H_

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace mcpcred::cli {

// Blocks SIGINT in the constructing thread and waits for it with sigwait() on
// a thread of its own. Construct it before any other thread starts (before the
// gRPC channel exists): threads inherit the signal mask, and a thread that
// leaves SIGINT unblocked would take the default action (death) instead.
//
// The first SIGINT runs `on_interrupt`; a second one exits at once with 130,
// for a person who does not want to wait for a clean cancellation.
// The destructor stops the thread and restores the signal mask.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> on_interrupt);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  bool interrupted() const { return interrupted_.load(); }

 private:
  void Run();

  std::function<void()> on_interrupt_;
  sigset_t previous_mask_;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace mcpcred::cli

#endif  // MCPCRED_CLIENT_CLI_INTERRUPT_WATCHER_H_

#include "interrupt_watcher.h"

#include <pthread.h>
#include <unistd.h>

#include <utility>

#include "tool_util.h"

namespace mcpcred::cli {
namespace {

sigset_t InterruptSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void()> on_interrupt)
    : on_interrupt_(std::move(on_interrupt)) {
  sigset_t set = InterruptSet();
  pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  thread_ = std::thread([this] { Run(); });
}

InterruptWatcher::~InterruptWatcher() {
  stopping_.store(true);
  // Wakes the sigwait() with a SIGINT aimed at that thread only.
  pthread_kill(thread_.native_handle(), SIGINT);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void InterruptWatcher::Run() {
  sigset_t set = InterruptSet();
  while (true) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0) continue;
    if (stopping_.load()) return;
    if (interrupted_.exchange(true)) _exit(kExitInterrupted);
    on_interrupt_();
  }
}

}  // namespace mcpcred::cli

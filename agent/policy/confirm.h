// Confirmation of hand-outs (`confirm = true`): before a caller process
// first has a credential, the person is asked through the askpass program
// (askpass.h), like `ssh-add -c`, or, when none is set, through a desktop
// notification with actions (desktop_notifier.h). With neither, the request
// is refused with a line saying what to set.
//
// The answer is remembered for the caller process (pid and start time, so a
// later process that gets the same pid is asked again): yes lets it have the
// credential until it exits, no refuses it until then. No answer within the
// timeout refuses this request only. Prompts run one at a time on the
// confirmer's own thread, never on a gRPC thread; requests of one caller for
// one credential that arrive while its prompt is open share that prompt.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_POLICY_CONFIRM_H_
#define MCPCRED_AGENT_POLICY_CONFIRM_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/policy/caller_identity.h"
#include "agent/util/thread_pool.h"

namespace mcpcred {

// The outcome of a confirmation: OK, or PERMISSION_DENIED with a one-line
// message; `detail` says what happened, for the audit log.
using ConfirmDone =
    std::function<void(absl::Status status, const std::string& detail)>;

// Asks `question` within `timeout` unless `cancel_fd` becomes readable, as
// AskByNotification does (desktop_notifier.h).
using NotifyFunction = std::function<absl::StatusOr<bool>(
    const std::string& question, absl::Duration timeout, int cancel_fd)>;

class Confirmer {
 public:
  // `askpass` finds the program to run when a prompt starts ("" = none);
  // by default AskpassProgram(). `notify` asks when there is none; by default
  // AskByNotification.
  explicit Confirmer(std::function<std::string()> askpass = nullptr,
                     NotifyFunction notify = nullptr);
  // Stop()s.
  ~Confirmer();

  // Answers `done` exactly once: at once if this caller has answered for
  // this credential before, else when the person answers. May run `done` on
  // the calling thread or on the confirmer's.
  void Ask(const std::string& credential, const CallerIdentity& caller,
           absl::Duration timeout, ConfirmDone done);
  // Whether the person said yes to this caller having this credential.
  bool Approved(const std::string& credential,
                const CallerIdentity& caller) const;
  // Ends open prompts (their requests are refused) and refuses new ones.
  // Idempotent.
  void Stop();

 private:
  using Key = std::tuple<std::string, pid_t, uint64_t>;
  void Prompt(Key key, CallerIdentity caller, absl::Duration timeout);
  // Drops answers for processes that have exited, past a size.
  void PruneLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::function<std::string()> askpass_;
  const NotifyFunction notify_;
  int cancel_[2] = {-1, -1};
  mutable absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::map<Key, bool> answers_ ABSL_GUARDED_BY(mu_);
  std::map<Key, std::vector<ConfirmDone>> waiting_ ABSL_GUARDED_BY(mu_);
  // One prompt at a time: a person answers one question at a time. Last, so
  // it is joined first.
  std::unique_ptr<ThreadPool> prompts_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_CONFIRM_H_

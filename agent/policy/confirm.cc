#include "agent/policy/confirm.h"

#include <fcntl.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "agent/policy/askpass.h"
#include "agent/policy/desktop_notifier.h"
#include "agent/util/log.h"

namespace mcpcred {
namespace {

constexpr size_t kPruneAbove = 256;

absl::Status Refused(const std::string& credential,
                     const CallerIdentity& caller, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat(
      "credential \"", credential, "\" needs your confirmation for ",
      DescribeCaller(caller), ": ", why));
}

}  // namespace

Confirmer::Confirmer(std::function<std::string()> askpass,
                     NotifyFunction notify)
    : askpass_(askpass ? std::move(askpass) : AskpassProgram),
      notify_(notify ? std::move(notify) : AskByNotification),
      prompts_(std::make_unique<ThreadPool>(1)) {
  if (pipe2(cancel_, O_CLOEXEC | O_NONBLOCK) != 0) {
    cancel_[0] = cancel_[1] = -1;
  }
}

Confirmer::~Confirmer() {
  Stop();
  prompts_.reset();
  for (int fd : cancel_) {
    if (fd >= 0) close(fd);
  }
}

void Confirmer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  if (cancel_[1] >= 0) {
    char byte = 0;
    ssize_t ignored = write(cancel_[1], &byte, 1);
    (void)ignored;
  }
}

bool Confirmer::Approved(const std::string& credential,
                         const CallerIdentity& caller) const {
  absl::MutexLock lock(&mu_);
  auto it = answers_.find({credential, caller.pid, caller.start_time});
  return it != answers_.end() && it->second;
}

void Confirmer::Ask(const std::string& credential, const CallerIdentity& caller,
                    absl::Duration timeout, ConfirmDone done) {
  Key key{credential, caller.pid, caller.start_time};
  absl::Status status;
  std::string detail;
  {
    absl::MutexLock lock(&mu_);
    auto answer = answers_.find(key);
    if (answer == answers_.end() && !stopped_) {
      std::vector<ConfirmDone>& waiting = waiting_[key];
      waiting.push_back(std::move(done));
      if (waiting.size() > 1) return;  // its prompt is open already
      prompts_->Schedule(
          [this, key, caller, timeout] { Prompt(key, caller, timeout); });
      return;
    }
    if (answer == answers_.end()) {
      status = absl::UnavailableError("the agent is stopping");
      detail = "stopping";
    } else if (answer->second) {
      detail = "confirmed earlier";
    } else {
      status = Refused(credential, caller, "you refused it for this process");
      detail = "refused earlier";
    }
  }
  done(status, detail);
}

void Confirmer::Prompt(Key key, CallerIdentity caller, absl::Duration timeout) {
  const std::string& credential = std::get<0>(key);
  const std::string program = askpass_();
  absl::Status status;
  std::string detail;
  bool remember = false;
  bool stopping;
  {
    absl::MutexLock lock(&mu_);
    stopping = stopped_;
  }
  if (stopping) {
    status = absl::UnavailableError("the agent is stopping");
    detail = "stopping";
  } else {
    const std::string question =
        absl::StrCat("Allow ", DescribeCaller(caller),
                     " to use the credential \"", credential, "\"?");
    // Askpass first when set; else a desktop notification, whose audit
    // details say so.
    const bool by_askpass = !program.empty();
    const std::string way = by_askpass ? "" : " by notification";
    absl::StatusOr<bool> yes =
        by_askpass ? RunAskpass(program, question, timeout, cancel_[0])
                   : notify_(question, timeout, cancel_[0]);
    if (yes.ok() && *yes) {
      detail = absl::StrCat("confirmed", way);
      remember = true;
    } else if (yes.ok()) {
      status = Refused(credential, caller, "you refused it");
      detail = absl::StrCat("refused", way);
      remember = true;
    } else if (absl::IsDeadlineExceeded(yes.status())) {
      status = Refused(
          credential, caller,
          absl::StrCat("no answer within ", absl::FormatDuration(timeout)));
      detail = absl::StrCat("no answer", way);
    } else if (absl::IsCancelled(yes.status())) {
      status = absl::UnavailableError("the agent is stopping");
      detail = "stopping";
    } else if (!by_askpass) {
      status = Refused(
          credential, caller,
          absl::StrCat("no askpass program and ", yes.status().message(),
                       ": set MCPCRED_ASKPASS (or SSH_ASKPASS) in the "
                       "agent's environment"));
      detail = "no askpass program";
    } else {
      LogWarning("credential \"", credential, "\": ", yes.status().message());
      status = Refused(credential, caller, yes.status().message());
      detail = "askpass failed";
    }
  }
  std::vector<ConfirmDone> waiting;
  {
    absl::MutexLock lock(&mu_);
    if (remember) {
      PruneLocked();
      answers_[key] = status.ok();
    }
    auto it = waiting_.find(key);
    if (it != waiting_.end()) {
      waiting = std::move(it->second);
      waiting_.erase(it);
    }
  }
  for (ConfirmDone& done : waiting) done(status, detail);
}

void Confirmer::PruneLocked() {
  if (answers_.size() < kPruneAbove) return;
  for (auto it = answers_.begin(); it != answers_.end();) {
    const auto& [credential, pid, start] = it->first;
    it = ReadStartTime(pid) == start ? std::next(it) : answers_.erase(it);
  }
}

}  // namespace mcpcred

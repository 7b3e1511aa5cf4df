#include "agent/service/watch_reactor.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/service/proto_convert.h"
#include "agent/service/request_validation.h"
#include "agent/service/watch_hub.h"

namespace mcpcred {
namespace {

v1::CredentialEvent::Kind ToKind(CredentialChange change) {
  switch (change) {
    case CredentialChange::kRefreshed:
      return v1::CredentialEvent::REFRESHED;
    case CredentialChange::kLogin:
      return v1::CredentialEvent::LOGIN;
    case CredentialChange::kLogout:
      return v1::CredentialEvent::LOGOUT;
    case CredentialChange::kRemoved:
      return v1::CredentialEvent::REMOVED;
    case CredentialChange::kReloaded:
      return v1::CredentialEvent::RELOADED;
    case CredentialChange::kError:
      return v1::CredentialEvent::ERROR;
  }
  return v1::CredentialEvent::KIND_UNSPECIFIED;
}

}  // namespace

WatchReactor::WatchReactor(const WatchContext& context, std::string peer,
                           const v1::WatchCredentialsRequest& request)
    : context_(context),
      peer_(std::move(peer)),
      claim_{request.exec_command()},
      names_(request.names().begin(), request.names().end()) {
  absl::Status valid = ValidateWatchCredentials(request);
  if (!valid.ok()) {
    absl::MutexLock lock(&mu_);
    FinishLocked(ToGrpcStatus(valid));
    return;
  }
  for (const std::string& name : names_) {
    absl::Status why;
    (void)context_.broker->View(name, &why);
    if (!Wants(name)) {
      why = absl::NotFoundError(absl::StrCat("no credential named \"", name,
                                             "\": see 'mcpcred list'"));
    }
    if (absl::IsNotFound(why)) {
      absl::MutexLock lock(&mu_);
      FinishLocked(ToGrpcStatus(why));
      return;
    }
  }
  // Registered before the snapshot is taken, so no change falls between.
  registered_ = context_.hub->Add(this);
  absl::MutexLock lock(&mu_);
  if (!registered_) {
    FinishLocked(
        grpc::Status(grpc::StatusCode::UNAVAILABLE, "the agent is stopping"));
    return;
  }
  std::vector<std::string> all =
      names_.empty() ? context_.broker->Names()
                     : std::vector<std::string>(names_.begin(), names_.end());
  for (const std::string& name : all) {
    if (Wants(name)) MarkLocked(name, v1::CredentialEvent::SNAPSHOT);
  }
  MarkLocked("", v1::CredentialEvent::SYNCED);
  started_ = true;
  WriteNextLocked();
  for (const std::string& name : names_) {
    // Answered from the cache when held; otherwise the fetch's result
    // reaches this stream as a change.
    context_.broker->Get(name, absl::ZeroDuration(), [](CredentialResult) {});
  }
}

bool WatchReactor::Wants(const std::string& name) const {
  if (context_.visible && !context_.visible(name)) return false;
  return names_.empty() || names_.count(name) > 0;
}

void WatchReactor::OnChange(const std::string& name, CredentialChange change) {
  if (!Wants(name)) return;
  absl::MutexLock lock(&mu_);
  if (finished_ || finish_.has_value()) return;
  MarkLocked(name, ToKind(change));
  if (started_ && !writing_) WriteNextLocked();
}

void WatchReactor::MarkLocked(const std::string& name,
                              v1::CredentialEvent::Kind kind) {
  auto [it, inserted] = kinds_.emplace(name, kind);
  if (inserted) {
    order_.push_back(name);
  } else if (it->second != v1::CredentialEvent::SNAPSHOT) {
    // A snapshot not yet written stays one: it is read when written anyway.
    it->second = kind;
  }
}

void WatchReactor::BuildLocked(const std::string& name,
                               v1::CredentialEvent::Kind kind) {
  event_.Clear();
  event_.set_kind(kind);
  if (kind == v1::CredentialEvent::SYNCED) return;
  event_.set_name(name);
  absl::Status why;
  std::shared_ptr<const RenderedCredential> credential =
      context_.broker->View(name, &why);
  if (credential == nullptr) {
    event_.set_error_code(static_cast<int32_t>(why.code()));
    event_.set_error_message(std::string(why.message()));
    return;
  }
  std::string policy;
  if (context_.gate != nullptr) {
    absl::Status allowed =
        context_.gate->CheckQuietly(name, peer_, claim_, &policy);
    if (!allowed.ok()) {
      // Not asked yet: no value and no error, as for a credential not
      // fetched yet, so that a client cache calls GetCredential, which asks.
      if (policy != kNotConfirmed) {
        event_.set_error_code(static_cast<int32_t>(allowed.code()));
      }
      event_.set_error_message(std::string(allowed.message()));
      if (context_.audit != nullptr) {
        context_.audit->Append({context_.clock->Now(),
                                context_.peers->Lookup(peer_), name,
                                "PERMISSION_DENIED", policy});
      }
      return;
    }
  }
  ToProto(*credential, event_.mutable_credential());
  context_.served->fetch_add(1, std::memory_order_relaxed);
  if (context_.audit != nullptr) {
    context_.audit->Append({context_.clock->Now(),
                            context_.peers->Lookup(peer_), name, "ok", policy});
  }
}

void WatchReactor::WriteNextLocked() {
  writing_ = false;
  if (finish_.has_value()) {
    FinishLocked(*finish_);
    return;
  }
  if (order_.empty()) return;
  std::string name = std::move(order_.front());
  order_.pop_front();
  auto it = kinds_.find(name);
  v1::CredentialEvent::Kind kind = it->second;
  kinds_.erase(it);
  BuildLocked(name, kind);
  writing_ = true;
  StartWrite(&event_);
}

void WatchReactor::FinishLocked(const grpc::Status& status) {
  if (finished_) return;
  if (writing_) {
    // Finished once the write in flight completes.
    finish_ = status;
    return;
  }
  finished_ = true;
  order_.clear();
  kinds_.clear();
  Finish(status);
}

void WatchReactor::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  // Sent (or never will be): the copies of the values go now.
  if (event_.has_credential()) WipeSecretFields(event_.mutable_credential());
  if (!ok && !finish_.has_value()) {
    // The client is gone; the call still has to be finished.
    finish_ = grpc::Status(grpc::StatusCode::CANCELLED, "the watcher left");
  }
  WriteNextLocked();
}

void WatchReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
}

void WatchReactor::End() {
  absl::MutexLock lock(&mu_);
  FinishLocked(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "the agent is stopping"));
}

void WatchReactor::OnDone() {
  if (registered_) context_.hub->Remove(this);
  // Finish() may have been called by a thread that still holds mu_.
  { absl::MutexLock lock(&mu_); }
  delete this;
}

}  // namespace mcpcred

#include "agent/service/login_reactor.h"

#include <utility>

#include "agent/service/proto_convert.h"
#include "agent/service/request_validation.h"

namespace mcpcred {

namespace {

// What a login's client is told when the agent stops during the login.
grpc::Status AgentStopping() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the agent stopped before the login ended: run "
                      "'mcpcred login' again once the agent runs");
}

}  // namespace

LoginReactor::LoginReactor(OwnedThreads* threads,
                           const v1::LoginRequest& request)
    : threads_(threads),
      scopes_(request.scopes().begin(), request.scopes().end()) {}

LoginReactor* LoginReactor::Start(Broker* broker, OwnedThreads* threads,
                                  const v1::LoginRequest& request) {
  std::shared_ptr<LoginReactor> reactor(new LoginReactor(threads, request));
  reactor->self_ = reactor;
  // Past the agent's stop deadline, the call ends without the login.
  if (!threads->Start(
          [reactor, broker, request] { reactor->Run(broker, request); },
          [reactor] { reactor->Complete(AgentStopping()); })) {
    reactor->Complete(AgentStopping());
  }
  return reactor.get();
}

void LoginReactor::Run(Broker* broker, v1::LoginRequest request) {
  absl::Status status = ValidateLogin(request);
  if (status.ok()) {
    status = broker->Login(request.name(), request.device(), /*observer=*/this);
  }
  if (!status.ok() && threads_->stopping()) {
    Complete(AgentStopping());
    return;
  }
  if (status.ok()) {
    v1::LoginEvent done;
    done.mutable_done();
    Enqueue(std::move(done));
  }
  Complete(ToGrpcStatus(status));
}

void LoginReactor::OnOpenUrl(const std::string& url) {
  v1::LoginEvent event;
  event.mutable_open_url()->set_url(url);
  Enqueue(std::move(event));
}

void LoginReactor::OnDeviceCode(const std::string& user_code,
                                const std::string& verification_uri,
                                const std::string& verification_uri_complete,
                                int expires_in) {
  v1::LoginEvent event;
  auto* code = event.mutable_device_code();
  code->set_user_code(user_code);
  code->set_verification_uri(verification_uri);
  code->set_verification_uri_complete(verification_uri_complete);
  code->set_expires_in(expires_in);
  Enqueue(std::move(event));
}

bool LoginReactor::Cancelled() const {
  return cancelled_.load() || threads_->stopping();
}

void LoginReactor::Enqueue(v1::LoginEvent event) {
  absl::MutexLock lock(&mu_);
  if (finish_.has_value()) return;  // the call is ending: too late
  queue_.push_back(std::move(event));
  if (!writing_) WriteNextLocked();
}

void LoginReactor::WriteNextLocked() {
  if (!queue_.empty()) {
    writing_ = true;
    StartWrite(&queue_.front());
    return;
  }
  writing_ = false;
  if (finish_.has_value() && !finished_) {
    finished_ = true;
    Finish(*finish_);
  }
}

void LoginReactor::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  queue_.pop_front();
  // After a failed write the client is gone: drop what is left, but the call
  // still ends with the login's status.
  if (!ok) queue_.clear();
  WriteNextLocked();
}

void LoginReactor::Complete(grpc::Status status) {
  absl::MutexLock lock(&mu_);
  if (finish_.has_value()) return;  // the first status stands
  finish_ = std::move(status);
  if (!writing_) WriteNextLocked();
}

void LoginReactor::OnCancel() { cancelled_ = true; }

void LoginReactor::OnDone() {
  // Finish() may have been called by a thread that still holds mu_.
  { absl::MutexLock lock(&mu_); }
  // Deletes this unless the login's thread still runs.
  std::shared_ptr<LoginReactor> last = std::move(self_);
}

}  // namespace mcpcred

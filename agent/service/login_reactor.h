// The Login RPC's stream: runs Broker::Login on a thread of its own (a login
// waits minutes for a person and must not hold a pool worker or a gRPC
// thread), owned by the agent's OwnedThreads, and writes its events to the
// client one at a time. A cancelled RPC (Ctrl-C in `mcpcred login`) cancels
// the login, and so does the agent stopping: the client is then told so
// (UNAVAILABLE), at once if the provider does not end the login in time.
#ifndef MCPCRED_AGENT_SERVICE_LOGIN_REACTOR_H_
#define MCPCRED_AGENT_SERVICE_LOGIN_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/broker.h"
#include "agent/plugin/login_observer.h"
#include "agent/util/owned_threads.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

// Thread-safe. Deleted once gRPC is done with the call and the login's
// thread has ended.
class LoginReactor final : public grpc::ServerWriteReactor<v1::LoginEvent>,
                           public LoginObserver,
                           public std::enable_shared_from_this<LoginReactor> {
 public:
  // Starts the login at once on a thread of `threads`; returns the reactor
  // for gRPC. `broker` and `threads` must outlive the call.
  static LoginReactor* Start(Broker* broker, OwnedThreads* threads,
                             const v1::LoginRequest& request);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  void OnOpenUrl(const std::string& url) override;
  void OnDeviceCode(const std::string& user_code,
                    const std::string& verification_uri,
                    const std::string& verification_uri_complete,
                    int expires_in) override;
  bool Cancelled() const override;
  std::vector<std::string> Scopes() const override { return scopes_; }

 private:
  LoginReactor(OwnedThreads* threads, const v1::LoginRequest& request);
  void Run(Broker* broker, v1::LoginRequest request);
  void Enqueue(v1::LoginEvent event);
  // Ends the call with `status` once every queued event is written.
  void Complete(grpc::Status status);
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  OwnedThreads* const threads_;
  // Held until OnDone(); the login's thread holds another reference.
  std::shared_ptr<LoginReactor> self_;
  std::atomic<bool> cancelled_{false};
  const std::vector<std::string> scopes_;  // LoginRequest.scopes
  absl::Mutex mu_;
  std::deque<v1::LoginEvent> queue_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;  // Finish() was called
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_LOGIN_REACTOR_H_

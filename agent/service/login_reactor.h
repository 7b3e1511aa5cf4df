// The Login RPC's stream: runs Broker::Login on a thread of its own (a login
// waits minutes for a person and must not hold a pool worker or a gRPC
// thread) and writes its events to the client one at a time. A cancelled RPC
// (Ctrl-C in `mcpcred login`) cancels the login.
#ifndef MCPCRED_AGENT_SERVICE_LOGIN_REACTOR_H_
#define MCPCRED_AGENT_SERVICE_LOGIN_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/broker.h"
#include "agent/plugin/login_observer.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

// Thread-safe. Deletes itself when gRPC is done with the call.
class LoginReactor final : public grpc::ServerWriteReactor<v1::LoginEvent>,
                           public LoginObserver {
 public:
  // Starts the login at once. `broker` must outlive the call.
  LoginReactor(Broker* broker, const v1::LoginRequest& request);

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
  void Run(Broker* broker, v1::LoginRequest request);
  void Enqueue(v1::LoginEvent event);
  // Ends the call with `status` once every queued event is written.
  void Complete(grpc::Status status);
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::atomic<bool> cancelled_{false};
  const std::vector<std::string> scopes_;  // LoginRequest.scopes
  absl::Mutex mu_;
  std::deque<v1::LoginEvent> queue_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_LOGIN_REACTOR_H_

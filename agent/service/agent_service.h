// The gRPC Agent service (mcpcred.v1.Agent) on the callback API. Handlers
// never block: a credential that must be fetched is answered from the broker's
// worker thread when the fetch completes, and calls that touch the secret
// store (AddSecret, RemoveSecret, the store part of ListCredentials) are
// answered from the service's own store thread.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_SERVICE_AGENT_SERVICE_H_
#define MCPCRED_AGENT_SERVICE_AGENT_SERVICE_H_

#include <atomic>
#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "agent/broker/broker.h"
#include "agent/policy/access_gate.h"
#include "agent/policy/audit_log.h"
#include "agent/policy/peer_table.h"
#include "agent/service/agent_control.h"
#include "agent/service/proto_convert.h"
#include "agent/service/watch_hub.h"
#include "agent/service/wiping_allocator.h"
#include "agent/util/clock.h"
#include "agent/util/owned_threads.h"
#include "agent/util/thread_pool.h"
#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred {

class AgentService final : public v1::Agent::CallbackService {
 public:
  // All pointers must outlive the service; `audit` may be null (no audit log),
  // and `gate` too (every caller may have every credential). Logins, logouts,
  // locks and unlocks run on threads of `threads`, which the owner stops.
  AgentService(Broker* broker, AgentControl* control, const PeerTable* peers,
               AuditLog* audit, const Clock* clock, OwnedThreads* threads,
               AccessGate* gate = nullptr);

  grpc::ServerUnaryReactor* GetCredential(
      grpc::CallbackServerContext* context,
      const v1::GetCredentialRequest* request,
      v1::Credential* response) override;
  grpc::ServerUnaryReactor* ListCredentials(
      grpc::CallbackServerContext* context,
      const v1::ListCredentialsRequest* request,
      v1::ListCredentialsResponse* response) override;
  grpc::ServerUnaryReactor* GetSecretKeys(
      grpc::CallbackServerContext* context,
      const v1::GetSecretKeysRequest* request,
      v1::GetSecretKeysResponse* response) override;
  grpc::ServerUnaryReactor* Redact(grpc::CallbackServerContext* context,
                                   const v1::RedactRequest* request,
                                   v1::RedactResponse* response) override;
  grpc::ServerUnaryReactor* Reload(grpc::CallbackServerContext* context,
                                   const v1::ReloadRequest* request,
                                   v1::ReloadResponse* response) override;
  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* context,
                                      const v1::GetStatusRequest* request,
                                      v1::AgentStatus* response) override;
  grpc::ServerWriteReactor<v1::LoginEvent>* Login(
      grpc::CallbackServerContext* context,
      const v1::LoginRequest* request) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* context,
                                   const v1::LogoutRequest* request,
                                   v1::LogoutResponse* response) override;
  grpc::ServerUnaryReactor* AddSecret(grpc::CallbackServerContext* context,
                                      const v1::AddSecretRequest* request,
                                      v1::AddSecretResponse* response) override;
  grpc::ServerUnaryReactor* RemoveSecret(
      grpc::CallbackServerContext* context,
      const v1::RemoveSecretRequest* request,
      v1::RemoveSecretResponse* response) override;
  grpc::ServerWriteReactor<v1::CredentialEvent>* WatchCredentials(
      grpc::CallbackServerContext* context,
      const v1::WatchCredentialsRequest* request) override;

  grpc::ServerBidiReactor<v1::RedactRequest, v1::RedactResponse>* RedactStream(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetRedactionValues(
      grpc::CallbackServerContext* context,
      const v1::GetRedactionValuesRequest* request,
      v1::GetRedactionValuesResponse* response) override;
  grpc::ServerUnaryReactor* ReportRedactions(
      grpc::CallbackServerContext* context,
      const v1::ReportRedactionsRequest* request,
      v1::ReportRedactionsResponse* response) override;
  grpc::ServerUnaryReactor* Lock(grpc::CallbackServerContext* context,
                                 const v1::LockRequest* request,
                                 v1::LockResponse* response) override;
  grpc::ServerUnaryReactor* Unlock(grpc::CallbackServerContext* context,
                                   const v1::UnlockRequest* request,
                                   v1::UnlockResponse* response) override;

  // WatchCredentials limited to the credentials `visible` accepts (null:
  // all), for the forwarding socket.
  grpc::ServerWriteReactor<v1::CredentialEvent>* Watch(
      grpc::CallbackServerContext* context,
      const v1::WatchCredentialsRequest* request,
      std::function<bool(const std::string&)> visible);

  // Ends every Watch stream (they never end by themselves) and refuses new
  // ones: call before shutting the server down, and before the broker dies.
  void StopWatches();

 private:
  // Finishes `reactor` with what `work` returns, run on a thread the agent
  // owns: for work that blocks (network, a slow hash). When the agent stops
  // first, the client is told to run `mcpcred COMMAND` again.
  void FinishOnThread(grpc::ServerUnaryReactor* reactor,
                      absl::string_view command,
                      std::function<absl::Status()> work);
  // Answers a GetCredential call with `result` and audits it, with the
  // caller policy that decided it (empty: none).
  void AnswerCredential(grpc::ServerUnaryReactor* reactor,
                        v1::Credential* response, const std::string& name,
                        const std::string& peer, CredentialResult result,
                        const std::string& policy);

  Broker* const broker_;
  AgentControl* const control_;
  const PeerTable* const peers_;
  AuditLog* const audit_;
  const Clock* const clock_;
  OwnedThreads* const threads_;
  AccessGate* const gate_;
  std::atomic<uint64_t> served_{0};
  WatchHub watch_hub_;
  // Wipe what the unary RPCs that carry secrets leave in their messages.
  WipingMessageAllocator<v1::GetCredentialRequest, v1::Credential,
                         &WipeGetCredential>
      credential_messages_;
  WipingMessageAllocator<v1::AddSecretRequest, v1::AddSecretResponse,
                         &WipeAddSecret>
      add_secret_messages_;
  WipingMessageAllocator<v1::GetRedactionValuesRequest,
                         v1::GetRedactionValuesResponse, &WipeRedactionValues>
      redaction_values_messages_;
  // One thread: store calls are serialised by the stores anyway, and this
  // keeps a slow keyring from taking the broker's fetch workers. Declared
  // last so that it is joined first, while everything its tasks use lives.
  ThreadPool store_pool_{1};
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_AGENT_SERVICE_H_

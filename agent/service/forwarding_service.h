// The service on the agent's extra socket (mcpcred-agent --extra-socket,
// like gpg-agent's extra socket), meant to be forwarded to another machine
// with `ssh -R`. Whatever connects there is only trusted to use
// credentials, never to change the agent: it serves GetCredential,
// ListCredentials, GetSecretKeys, Redact, RedactStream and
// WatchCredentials, and answers every other RPC with PERMISSION_DENIED.
// An RPC added to the proto later is UNIMPLEMENTED here until it is
// decided on.
//
// A credential with `forward = false` does not exist on this socket: it is
// not listed, its keys are not reported, and asking for it (GetCredential,
// a named Watch) gets the NOT_FOUND of an unknown name. ListCredentials
// reports no secret store entries. Redact masks every value the agent holds,
// forwarded or not (masking reveals none).
//
// The restriction is the socket's: the agent serves the extra socket with
// this service on a gRPC server of its own, so no client can ask for more.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_SERVICE_FORWARDING_SERVICE_H_
#define MCPCRED_AGENT_SERVICE_FORWARDING_SERVICE_H_

#include <string>

#include "agent/broker/broker.h"
#include "agent/service/agent_service.h"
#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred {

class ForwardingService final : public v1::Agent::CallbackService {
 public:
  // `main` serves what is allowed; `main` and `broker` must outlive this.
  // `socket_path` is named in refusals.
  ForwardingService(AgentService* main, Broker* broker,
                    std::string socket_path);

  // Served.
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
  grpc::ServerBidiReactor<v1::RedactRequest, v1::RedactResponse>* RedactStream(
      grpc::CallbackServerContext* context) override;
  grpc::ServerWriteReactor<v1::CredentialEvent>* WatchCredentials(
      grpc::CallbackServerContext* context,
      const v1::WatchCredentialsRequest* request) override;

  // Refused with PERMISSION_DENIED.
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

 private:
  // PERMISSION_DENIED naming `rpc` and what this socket serves.
  grpc::Status Denied(const char* rpc) const;
  grpc::ServerUnaryReactor* Deny(grpc::CallbackServerContext* context,
                                 const char* rpc) const;

  AgentService* const main_;
  Broker* const broker_;
  const std::string socket_path_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_FORWARDING_SERVICE_H_

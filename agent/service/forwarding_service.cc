#include "agent/service/forwarding_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/service/proto_convert.h"
#include "agent/service/refused_reactors.h"

namespace mcpcred {
namespace {

// The NOT_FOUND of an unknown name (Broker): a credential kept off this
// socket cannot be told from one that does not exist.
grpc::Status NotFound(const std::string& name) {
  return grpc::Status(
      grpc::StatusCode::NOT_FOUND,
      absl::StrCat("no credential named \"", name, "\": see 'mcpcred list'"));
}

grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace

ForwardingService::ForwardingService(AgentService* main, Broker* broker,
                                     std::string socket_path)
    : main_(main), broker_(broker), socket_path_(std::move(socket_path)) {}

grpc::Status ForwardingService::Denied(const char* rpc) const {
  return grpc::Status(
      grpc::StatusCode::PERMISSION_DENIED,
      absl::StrCat(rpc, " is not allowed on the agent's extra socket ",
                   socket_path_,
                   " (it serves only GetCredential, ListCredentials, "
                   "GetSecretKeys, Redact, RedactStream and "
                   "WatchCredentials): run it where the agent runs"));
}

grpc::ServerUnaryReactor* ForwardingService::Deny(
    grpc::CallbackServerContext* context, const char* rpc) const {
  return FinishWith(context, Denied(rpc));
}

grpc::ServerUnaryReactor* ForwardingService::GetCredential(
    grpc::CallbackServerContext* context,
    const v1::GetCredentialRequest* request, v1::Credential* response) {
  if (!broker_->Forwarded(request->name())) {
    return FinishWith(context, NotFound(request->name()));
  }
  return main_->GetCredential(context, request, response);
}

grpc::ServerUnaryReactor* ForwardingService::ListCredentials(
    grpc::CallbackServerContext* context,
    const v1::ListCredentialsRequest* request,
    v1::ListCredentialsResponse* response) {
  for (const CredentialSnapshot& snapshot : broker_->Snapshot()) {
    if (!broker_->Forwarded(snapshot.name)) continue;
    ToProto(snapshot, response->add_credentials());
  }
  return FinishWith(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* ForwardingService::GetSecretKeys(
    grpc::CallbackServerContext* context,
    const v1::GetSecretKeysRequest* request,
    v1::GetSecretKeysResponse* response) {
  SecretKeyNames keys = broker_->SecretKeys(/*forwarded_only=*/true);
  for (const std::string& key : keys.env_keys) response->add_env_keys(key);
  for (const std::string& name : keys.header_names) {
    response->add_header_names(name);
  }
  return FinishWith(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* ForwardingService::Redact(
    grpc::CallbackServerContext* context, const v1::RedactRequest* request,
    v1::RedactResponse* response) {
  return main_->Redact(context, request, response);
}

grpc::ServerBidiReactor<v1::RedactRequest, v1::RedactResponse>*
ForwardingService::RedactStream(grpc::CallbackServerContext* context) {
  return main_->RedactStream(context);
}

grpc::ServerWriteReactor<v1::CredentialEvent>*
ForwardingService::WatchCredentials(
    grpc::CallbackServerContext* context,
    const v1::WatchCredentialsRequest* request) {
  Broker* broker = broker_;
  return main_->Watch(context, request, [broker](const std::string& name) {
    return broker->Forwarded(name);
  });
}

grpc::ServerUnaryReactor* ForwardingService::Reload(
    grpc::CallbackServerContext* context, const v1::ReloadRequest*,
    v1::ReloadResponse*) {
  return Deny(context, "Reload");
}

grpc::ServerUnaryReactor* ForwardingService::GetStatus(
    grpc::CallbackServerContext* context, const v1::GetStatusRequest*,
    v1::AgentStatus*) {
  return Deny(context, "GetStatus");
}

grpc::ServerWriteReactor<v1::LoginEvent>* ForwardingService::Login(
    grpc::CallbackServerContext*, const v1::LoginRequest*) {
  return new RefusedWriteReactor<v1::LoginEvent>(Denied("Login"));
}

grpc::ServerUnaryReactor* ForwardingService::Logout(
    grpc::CallbackServerContext* context, const v1::LogoutRequest*,
    v1::LogoutResponse*) {
  return Deny(context, "Logout");
}

grpc::ServerUnaryReactor* ForwardingService::AddSecret(
    grpc::CallbackServerContext* context, const v1::AddSecretRequest*,
    v1::AddSecretResponse*) {
  return Deny(context, "AddSecret");
}

grpc::ServerUnaryReactor* ForwardingService::RemoveSecret(
    grpc::CallbackServerContext* context, const v1::RemoveSecretRequest*,
    v1::RemoveSecretResponse*) {
  return Deny(context, "RemoveSecret");
}

grpc::ServerUnaryReactor* ForwardingService::GetRedactionValues(
    grpc::CallbackServerContext* context, const v1::GetRedactionValuesRequest*,
    v1::GetRedactionValuesResponse*) {
  // It would hand out every value the agent masks, kept-off ones and
  // configured client secrets included.
  return Deny(context, "GetRedactionValues");
}

grpc::ServerUnaryReactor* ForwardingService::ReportRedactions(
    grpc::CallbackServerContext* context, const v1::ReportRedactionsRequest*,
    v1::ReportRedactionsResponse*) {
  return Deny(context, "ReportRedactions");
}

grpc::ServerUnaryReactor* ForwardingService::Lock(
    grpc::CallbackServerContext* context, const v1::LockRequest*,
    v1::LockResponse*) {
  return Deny(context, "Lock");
}

grpc::ServerUnaryReactor* ForwardingService::Unlock(
    grpc::CallbackServerContext* context, const v1::UnlockRequest*,
    v1::UnlockResponse*) {
  return Deny(context, "Unlock");
}

}  // namespace mcpcred

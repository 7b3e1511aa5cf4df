#include "agent/service/agent_service.h"

#include "absl/strings/str_cat.h"
#include "agent/service/proto_convert.h"
#include "agent/service/request_validation.h"

namespace mcpcred {
namespace {

// A server-streaming reactor that ends at once with a status.
class FinishedWriter final : public grpc::ServerWriteReactor<v1::LoginEvent> {
 public:
  explicit FinishedWriter(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

std::string OutcomeName(const absl::Status& status) {
  return status.ok() ? "ok" : absl::StatusCodeToString(status.code());
}

}  // namespace

AgentService::AgentService(Broker* broker, AgentControl* control,
                           const PeerTable* peers, AuditLog* audit,
                           const Clock* clock)
    : broker_(broker),
      control_(control),
      peers_(peers),
      audit_(audit),
      clock_(clock) {}

grpc::ServerUnaryReactor* AgentService::GetCredential(
    grpc::CallbackServerContext* context,
    const v1::GetCredentialRequest* request, v1::Credential* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<absl::Duration> min_ttl = ValidateGetCredential(*request);
  if (!min_ttl.ok()) {
    reactor->Finish(ToGrpcStatus(min_ttl.status()));
    return reactor;
  }
  broker_->Get(request->name(), *min_ttl,
               [this, reactor, response, name = request->name(),
                peer = context->peer()](CredentialResult result) {
                 absl::Status status = result.status();
                 if (audit_ != nullptr) {
                   audit_->Append({clock_->Now(), peers_->Lookup(peer), name,
                                   OutcomeName(status)});
                 }
                 if (status.ok()) {
                   ToProto(**result, response);
                   served_.fetch_add(1, std::memory_order_relaxed);
                 }
                 reactor->Finish(ToGrpcStatus(status));
               });
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::ListCredentials(
    grpc::CallbackServerContext* context,
    const v1::ListCredentialsRequest* request,
    v1::ListCredentialsResponse* response) {
  for (const CredentialSnapshot& snapshot : broker_->Snapshot()) {
    ToProto(snapshot, response->add_credentials());
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::GetSecretKeys(
    grpc::CallbackServerContext* context,
    const v1::GetSecretKeysRequest* request,
    v1::GetSecretKeysResponse* response) {
  SecretKeyNames keys = broker_->SecretKeys();
  for (const std::string& key : keys.env_keys) response->add_env_keys(key);
  for (const std::string& name : keys.header_names) {
    response->add_header_names(name);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::Redact(
    grpc::CallbackServerContext* context, const v1::RedactRequest* request,
    v1::RedactResponse* response) {
  RedactResult result =
      mcpcred::Redact(request->text(), broker_->HeldSecrets());
  response->set_text(std::move(result.text));
  response->set_replacements(result.replacements);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::Reload(
    grpc::CallbackServerContext* context, const v1::ReloadRequest* request,
    v1::ReloadResponse* response) {
  // Reading a config file and loading plugin instances is short local I/O;
  // it is the one handler allowed to do it inline.
  absl::StatusOr<ReloadOutcome> outcome = control_->Reload();
  if (outcome.ok()) {
    response->set_credentials(static_cast<uint32_t>(outcome->credentials));
    for (const std::string& error : outcome->errors)
      response->add_errors(error);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(outcome.status()));
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::GetStatus(
    grpc::CallbackServerContext* context, const v1::GetStatusRequest* request,
    v1::AgentStatus* response) {
  control_->DescribeSelf(response);
  uint32_t ready = 0, login = 0, errors = 0;
  std::vector<CredentialSnapshot> snapshots = broker_->Snapshot();
  for (const CredentialSnapshot& s : snapshots) {
    if (s.state == CredentialState::kReady) ++ready;
    if (s.state == CredentialState::kLoginRequired) ++login;
    if (s.state == CredentialState::kError) ++errors;
  }
  response->set_credentials(static_cast<uint32_t>(snapshots.size()));
  response->set_ready(ready);
  response->set_login_required(login);
  response->set_errors(errors);
  response->set_requests_served(served_.load(std::memory_order_relaxed));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

absl::Status AgentService::CheckLoginSupported(const std::string& name) const {
  for (const CredentialSnapshot& s : broker_->Snapshot()) {
    if (s.name != name) continue;
    if (s.has_login) {
      return absl::UnimplementedError(absl::StrCat(
          "credential \"", name, "\": this agent cannot run logins yet"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("credential \"", name, "\" uses provider \"", s.provider,
                     "\", which has no login: nothing to do"));
  }
  return absl::NotFoundError(
      absl::StrCat("no credential named \"", name, "\": see 'mcpcred list'"));
}

grpc::ServerWriteReactor<v1::LoginEvent>* AgentService::Login(
    grpc::CallbackServerContext* context, const v1::LoginRequest* request) {
  return new FinishedWriter(ToGrpcStatus(CheckLoginSupported(request->name())));
}

grpc::ServerUnaryReactor* AgentService::Logout(
    grpc::CallbackServerContext* context, const v1::LogoutRequest* request,
    v1::LogoutResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(CheckLoginSupported(request->name())));
  return reactor;
}

}  // namespace mcpcred

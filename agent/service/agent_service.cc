#include "agent/service/agent_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "agent/config/validation.h"
#include "agent/service/login_reactor.h"
#include "agent/service/proto_convert.h"
#include "agent/service/redact_stream_reactor.h"
#include "agent/service/request_validation.h"
#include "agent/service/watch_reactor.h"
#include "mcpcred/common/stream_redactor.h"

namespace mcpcred {
namespace {

std::string OutcomeName(const absl::Status& status) {
  return status.ok() ? "ok" : absl::StatusCodeToString(status.code());
}

// Bigger than any API key or token; small enough for a keyring item.
constexpr size_t kMaxSecretBytes = 64 << 10;

absl::Status ValidateSecretName(const std::string& name) {
  if (config::IsValidCredentialName(name)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "a secret name is 1 to 64 of A-Z a-z 0-9 . _ -");
}

absl::Status ValidateSecretValue(const std::string& value) {
  if (value.empty()) return absl::InvalidArgumentError("the secret is empty");
  if (value.size() > kMaxSecretBytes) {
    return absl::InvalidArgumentError("the secret is larger than 64 KiB");
  }
  return absl::OkStatus();
}

// Adds the store's view to a credential list: every entry, and each
// credential's own kinds.
void AddStoreListing(const StoreListing& listing,
                     v1::ListCredentialsResponse* response) {
  response->set_store(listing.backend);
  if (!listing.entries.ok()) {
    response->set_store_error(std::string(listing.entries.status().message()));
    return;
  }
  std::map<std::string, std::vector<std::string>> kinds;
  for (const StoreKey& key : *listing.entries) {
    v1::StoredEntry* entry = response->add_stored();
    entry->set_credential(key.credential);
    entry->set_kind(key.kind);
    entry->set_scope(key.scope);
    kinds[key.credential].push_back(key.kind);
  }
  for (v1::CredentialInfo& info : *response->mutable_credentials()) {
    auto it = kinds.find(info.name());
    if (it == kinds.end()) continue;
    std::sort(it->second.begin(), it->second.end());
    it->second.erase(std::unique(it->second.begin(), it->second.end()),
                     it->second.end());
    for (const std::string& kind : it->second) info.add_stored_kinds(kind);
  }
}

}  // namespace

AgentService::AgentService(Broker* broker, AgentControl* control,
                           const PeerTable* peers, AuditLog* audit,
                           const Clock* clock)
    : broker_(broker),
      control_(control),
      peers_(peers),
      audit_(audit),
      clock_(clock),
      watch_hub_(broker) {
  SetMessageAllocatorFor_GetCredential(&credential_messages_);
  SetMessageAllocatorFor_AddSecret(&add_secret_messages_);
  SetMessageAllocatorFor_GetRedactionValues(&redaction_values_messages_);
}

grpc::ServerUnaryReactor* AgentService::GetCredential(
    grpc::CallbackServerContext* context,
    const v1::GetCredentialRequest* request, v1::Credential* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<absl::Duration> min_ttl = ValidateGetCredential(*request);
  if (!min_ttl.ok()) {
    reactor->Finish(ToGrpcStatus(min_ttl.status()));
    return reactor;
  }
  CredentialCallback answer = [this, reactor, response, name = request->name(),
                               peer =
                                   context->peer()](CredentialResult result) {
    absl::Status status = result.status();
    if (audit_ != nullptr) {
      audit_->Append(
          {clock_->Now(), peers_->Lookup(peer), name, OutcomeName(status)});
    }
    if (status.ok()) {
      ToProto(**result, response);
      served_.fetch_add(1, std::memory_order_relaxed);
    }
    reactor->Finish(ToGrpcStatus(status));
  };
  if (request->force_refresh()) {
    broker_->ForceRefresh(request->name(), request->rejected_version(),
                          std::move(answer));
  } else {
    broker_->Get(request->name(), *min_ttl, std::move(answer));
  }
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
  // Listing a keyring is a D-Bus round trip: not on this thread.
  store_pool_.Schedule([this, reactor, response] {
    AddStoreListing(control_->ListStore(), response);
    reactor->Finish(grpc::Status::OK);
  });
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
  RedactResult result = mcpcred::Redact(request->text(), *broker_->Redaction());
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
  for (const std::string& name : broker_->Redaction()->too_short()) {
    response->add_unredactable(name);
  }
  response->set_min_redact_length(static_cast<uint32_t>(kMinRedactLength));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<v1::LoginEvent>* AgentService::Login(
    grpc::CallbackServerContext* context, const v1::LoginRequest* request) {
  return new LoginReactor(broker_, *request);
}

grpc::ServerUnaryReactor* AgentService::Logout(
    grpc::CallbackServerContext* context, const v1::LogoutRequest* request,
    v1::LogoutResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status valid = ValidateLogout(*request);
  if (!valid.ok()) {
    reactor->Finish(ToGrpcStatus(valid));
    return reactor;
  }
  // Revocation is network I/O: never on a gRPC thread.
  std::thread([this, reactor, name = request->name()] {
    reactor->Finish(ToGrpcStatus(broker_->Logout(name)));
  }).detach();
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::AddSecret(
    grpc::CallbackServerContext* context, const v1::AddSecretRequest* request,
    v1::AddSecretResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status valid = ValidateSecretName(request->name());
  if (valid.ok()) valid = ValidateSecretValue(request->value());
  if (!valid.ok()) {
    reactor->Finish(ToGrpcStatus(valid));
    return reactor;
  }
  store_pool_.Schedule([this, reactor, request, response] {
    absl::Status status =
        control_->AddSecret(request->name(), SecretString(request->value()));
    response->set_store(control_->StoreName());
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::RemoveSecret(
    grpc::CallbackServerContext* context,
    const v1::RemoveSecretRequest* request,
    v1::RemoveSecretResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status valid = ValidateSecretName(request->name());
  if (!valid.ok()) {
    reactor->Finish(ToGrpcStatus(valid));
    return reactor;
  }
  store_pool_.Schedule([this, reactor, request, response] {
    absl::Status status = control_->RemoveSecret(request->name());
    response->set_store(control_->StoreName());
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

grpc::ServerWriteReactor<v1::CredentialEvent>* AgentService::WatchCredentials(
    grpc::CallbackServerContext* context,
    const v1::WatchCredentialsRequest* request) {
  WatchContext watch{broker_, &watch_hub_, audit_, peers_, clock_, &served_};
  return new WatchReactor(watch, context->peer(), *request);
}

void AgentService::StopWatches() { watch_hub_.Close(); }

grpc::ServerBidiReactor<v1::RedactRequest, v1::RedactResponse>*
AgentService::RedactStream(grpc::CallbackServerContext* context) {
  return new RedactStreamReactor(broker_->Redaction());
}

grpc::ServerUnaryReactor* AgentService::GetRedactionValues(
    grpc::CallbackServerContext* context,
    const v1::GetRedactionValuesRequest* request,
    v1::GetRedactionValuesResponse* response) {
  std::set<std::string> credentials;
  for (SecretValue& held : broker_->RedactionValues()) {
    credentials.insert(held.credential);
    v1::RedactionValue* value = response->add_values();
    value->set_credential(std::move(held.credential));
    value->set_value(held.value.data(), held.value.size());
  }
  response->set_min_length(static_cast<uint32_t>(kMinRedactLength));
  if (audit_ != nullptr) {
    const PeerCredentials peer = peers_->Lookup(context->peer());
    for (const std::string& credential : credentials) {
      audit_->Append({clock_->Now(), peer, credential, "redaction-values"});
    }
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::ReportRedactions(
    grpc::CallbackServerContext* context,
    const v1::ReportRedactionsRequest* request,
    v1::ReportRedactionsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->counts_size() > 1024 || request->source().size() > 1024) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "too many counts or too long a source"));
    return reactor;
  }
  if (audit_ != nullptr) {
    const PeerCredentials peer = peers_->Lookup(context->peer());
    for (const auto& [credential, count] : request->counts()) {
      if (credential.size() > 256 || count == 0) continue;
      audit_->Append(
          {clock_->Now(), peer, credential, absl::StrCat("masked ", count)});
    }
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace mcpcred

#include "agent/service/agent_service.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "agent/config/validation.h"
#include "agent/service/credential_reactor.h"
#include "agent/service/login_reactor.h"
#include "agent/service/proto_convert.h"
#include "agent/service/redact_stream_reactor.h"
#include "agent/service/refused_reactors.h"
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

// An audit line for an action on the whole agent (lock, unlock): no
// credential, the outcome prefixed by the action ("unlock: PERMISSION_DENIED").
void AuditAgentAction(AuditLog* audit, const Clock* clock,
                      const PeerCredentials& peer, absl::string_view action,
                      const absl::Status& status) {
  if (audit == nullptr) return;
  audit->Append({clock->Now(), peer, "",
                 absl::StrCat(action, ": ", OutcomeName(status))});
}

// Finishes a unary call with `status` at once.
grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context,
                                 const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace

AgentService::AgentService(Broker* broker, AgentControl* control,
                           const PeerTable* peers, AuditLog* audit,
                           const Clock* clock, OwnedThreads* threads,
                           AccessGate* gate)
    : broker_(broker),
      control_(control),
      peers_(peers),
      audit_(audit),
      clock_(clock),
      threads_(threads),
      gate_(gate),
      watch_hub_(broker) {
  SetMessageAllocatorFor_GetCredential(&credential_messages_);
  SetMessageAllocatorFor_AddSecret(&add_secret_messages_);
  SetMessageAllocatorFor_GetRedactionValues(&redaction_values_messages_);
}

void AgentService::FinishOnThread(grpc::ServerUnaryReactor* reactor,
                                  absl::string_view command,
                                  std::function<absl::Status()> work) {
  // Whichever ends first, the work or the agent's patience when it stops,
  // answers.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  auto answer = [reactor, answered](grpc::Status status) {
    if (!answered->exchange(true)) reactor->Finish(std::move(status));
  };
  const grpc::Status stopping(
      grpc::StatusCode::UNAVAILABLE,
      absl::StrCat("the agent stopped before the ", command,
                   " ended: run 'mcpcred ", command, "' again once it runs"));
  if (!threads_->Start(
          [answer, work = std::move(work)] { answer(ToGrpcStatus(work())); },
          [answer, stopping] { answer(stopping); })) {
    answer(stopping);
  }
}

void AgentService::AnswerCredential(grpc::ServerUnaryReactor* reactor,
                                    v1::Credential* response,
                                    const std::string& name,
                                    const std::string& peer,
                                    CredentialResult result,
                                    const std::string& policy) {
  absl::Status status = result.status();
  // A fetch that began before a lock ends after it: not handed out.
  if (status.ok()) status = control_->CheckUnlocked();
  if (audit_ != nullptr) {
    audit_->Append({clock_->Now(), peers_->Lookup(peer), name,
                    OutcomeName(status), policy});
  }
  if (status.ok()) {
    ToProto(**result, response);
    served_.fetch_add(1, std::memory_order_relaxed);
  }
  reactor->Finish(ToGrpcStatus(status));
}

grpc::ServerUnaryReactor* AgentService::GetCredential(
    grpc::CallbackServerContext* context,
    const v1::GetCredentialRequest* request, v1::Credential* response) {
  absl::StatusOr<absl::Duration> min_ttl = ValidateGetCredential(*request);
  if (!min_ttl.ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(min_ttl.status()));
    return reactor;
  }
  // A credential with a caller policy is decided by the gate first, which
  // may ask the person and answer from its own thread.
  const bool restricted = gate_ != nullptr && gate_->Restricts(request->name());
  // A cached credential, the common case, is answered at once on gRPC's
  // default reactor, whose reactions run inline (a reactor of our own costs
  // every call a hop through gRPC's executor). A request that may wait gets
  // one that takes it out of the queue when its client gives up.
  if (!restricted && !request->force_refresh()) {
    std::shared_ptr<const RenderedCredential> hit =
        broker_->CachedFor(request->name(), *min_ttl);
    if (hit != nullptr) {
      grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
      AnswerCredential(reactor, response, request->name(), context->peer(),
                       std::move(hit), "");
      return reactor;
    }
  }
  auto* reactor = new CredentialReactor(broker_);
  auto serve = [this, reactor, response, request, peer = context->peer(),
                min_ttl = *min_ttl, handler = std::this_thread::get_id()](
                   absl::Status allowed, std::string policy) {
    CredentialCallback answer = [this, reactor, response,
                                 name = request->name(), peer,
                                 policy](CredentialResult result) {
      AnswerCredential(reactor, response, name, peer, std::move(result),
                       policy);
    };
    // The queue place is cancellable only when written on the handler's
    // thread, before gRPC may call OnCancel (CredentialReactor::pending).
    PendingRequest* pending =
        std::this_thread::get_id() == handler ? reactor->pending() : nullptr;
    if (!allowed.ok()) {
      answer(allowed);
    } else if (request->force_refresh()) {
      broker_->ForceRefresh(request->name(), request->rejected_version(),
                            std::move(answer), pending);
    } else {
      broker_->Get(request->name(), min_ttl, std::move(answer), pending);
    }
  };
  if (!restricted) {
    serve(absl::OkStatus(), "");
  } else {
    // May answer later, from the thread that asked the person.
    gate_->Check(request->name(), context->peer(),
                 CallerClaim{request->exec_command()}, std::move(serve));
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
  // Locked, the agent holds no value to mask with: refused, never unmasked.
  if (absl::Status unlocked = control_->CheckUnlocked(); !unlocked.ok()) {
    return Refuse(context, unlocked);
  }
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
  return LoginReactor::Start(broker_, threads_, *request);
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
  FinishOnThread(reactor, "logout", [this, name = request->name()] {
    return broker_->Logout(name);
  });
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
  return Watch(context, request, nullptr);
}

grpc::ServerWriteReactor<v1::CredentialEvent>* AgentService::Watch(
    grpc::CallbackServerContext* context,
    const v1::WatchCredentialsRequest* request,
    std::function<bool(const std::string&)> visible) {
  WatchContext watch{broker_,  &watch_hub_,        audit_, peers_, clock_,
                     &served_, std::move(visible), gate_};
  return new WatchReactor(watch, context->peer(), *request);
}

void AgentService::StopWatches() { watch_hub_.Close(); }

grpc::ServerBidiReactor<v1::RedactRequest, v1::RedactResponse>*
AgentService::RedactStream(grpc::CallbackServerContext* context) {
  if (absl::Status unlocked = control_->CheckUnlocked(); !unlocked.ok()) {
    return new RefusedBidiReactor<v1::RedactRequest, v1::RedactResponse>(
        ToGrpcStatus(unlocked));
  }
  return new RedactStreamReactor(broker_->Redaction());
}

grpc::ServerUnaryReactor* AgentService::GetRedactionValues(
    grpc::CallbackServerContext* context,
    const v1::GetRedactionValuesRequest* request,
    v1::GetRedactionValuesResponse* response) {
  if (absl::Status unlocked = control_->CheckUnlocked(); !unlocked.ok()) {
    return Refuse(context, unlocked);
  }
  // Each credential's values once, and only those of credentials this
  // caller may have: the decision per credential, not per value.
  std::map<std::string, std::pair<bool, std::string>> allowed;
  const CallerClaim claim{request->exec_command()};
  for (SecretValue& held : broker_->RedactionValues()) {
    auto [it, first] = allowed.try_emplace(held.credential);
    if (first) {
      it->second.first = gate_ == nullptr ||
                         gate_
                             ->CheckQuietly(held.credential, context->peer(),
                                            claim, &it->second.second)
                             .ok();
    }
    if (!it->second.first) continue;
    v1::RedactionValue* value = response->add_values();
    value->set_credential(std::move(held.credential));
    value->set_value(held.value.data(), held.value.size());
  }
  response->set_min_length(static_cast<uint32_t>(kMinRedactLength));
  if (audit_ != nullptr) {
    const PeerCredentials peer = peers_->Lookup(context->peer());
    for (const auto& [credential, decision] : allowed) {
      audit_->Append({clock_->Now(), peer, credential,
                      decision.first ? "redaction-values" : "PERMISSION_DENIED",
                      decision.second});
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

grpc::ServerUnaryReactor* AgentService::Lock(
    grpc::CallbackServerContext* context, const v1::LockRequest* request,
    v1::LockResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Hashing the passphrase is slow on purpose: never on a gRPC thread.
  FinishOnThread(reactor, "lock",
                 [this, request, peer = peers_->Lookup(context->peer())] {
                   absl::Status status = control_->Lock(request->passphrase());
                   AuditAgentAction(audit_, clock_, peer, "lock", status);
                   return status;
                 });
  return reactor;
}

grpc::ServerUnaryReactor* AgentService::Unlock(
    grpc::CallbackServerContext* context, const v1::UnlockRequest* request,
    v1::UnlockResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  FinishOnThread(reactor, "unlock",
                 [this, request, peer = peers_->Lookup(context->peer())] {
                   absl::Status status =
                       control_->Unlock(request->passphrase());
                   AuditAgentAction(audit_, clock_, peer, "unlock", status);
                   return status;
                 });
  return reactor;
}

}  // namespace mcpcred

#include "mcpcred/client.h"

#include <grpcpp/grpcpp.h>
#include <string.h>

#include <utility>

#include "agent_channel.h"
#include "agent_unreachable.h"
#include "mcpcred/common/paths.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {
namespace {

// grpc::StatusCode and absl::StatusCode share their numbering (both follow
// google.rpc.Code), so the cast keeps the kind of error.
absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

// Fails fast when no agent runs (wait_for_ready(false)): a CLI or an exec
// wrapper should say so at once rather than wait out the deadline.
void PrepareContext(grpc::ClientContext& context,
                    std::chrono::milliseconds timeout) {
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  context.set_wait_for_ready(false);
}

// Every call ends here. After UNAVAILABLE the connection is not trusted to
// work any more: the next call connects (and checks the agent) again. It is
// also what the agent answers when an upstream is down, so only a failed
// connection to the socket itself becomes the how-to-start-an-agent error.
absl::Status Finish(
    const grpc::Status& status, const std::string& socket_path,
    client_internal::AgentChannel& channel,
    const std::shared_ptr<client_internal::AgentConnection>& connection) {
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE) {
    return FromGrpc(status);
  }
  channel.Drop(connection);
  if (client_internal::NothingListensOn(socket_path)) {
    return client_internal::AgentUnreachableError(socket_path);
  }
  return FromGrpc(status);
}

}  // namespace

void LoginCanceller::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (context_ != nullptr) context_->TryCancel();
}

bool LoginCanceller::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

bool LoginCanceller::Attach(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return false;
  context_ = context;
  return true;
}

void LoginCanceller::Detach() {
  absl::MutexLock lock(&mu_);
  context_ = nullptr;
}

absl::StatusOr<std::unique_ptr<Client>> Client::Create(
    const ClientOptions& options) {
  std::string path = options.socket_path;
  if (path.empty()) {
    absl::StatusOr<std::string> found = DefaultSocketPath();
    if (!found.ok()) return found.status();
    path = *std::move(found);
  }
  return std::unique_ptr<Client>(new Client(std::move(path), options));
}

Client::Client(std::string socket_path, const ClientOptions& options)
    : socket_path_(std::move(socket_path)),
      timeout_(options.timeout),
      login_timeout_(options.login_timeout),
      credential_timeout_(options.credential_timeout),
      exec_command_(options.exec_command),
      channel_(std::make_unique<client_internal::AgentChannel>(socket_path_)) {}

Client::~Client() = default;

template <typename Response, typename Request>
absl::StatusOr<Response> Client::Unary(
    grpc::Status (v1::Agent::Stub::*method)(grpc::ClientContext*,
                                            const Request&, Response*),
    const Request& request, std::chrono::milliseconds timeout) {
  absl::StatusOr<std::shared_ptr<client_internal::AgentConnection>> connection =
      channel_->Get();
  if (!connection.ok()) return connection.status();
  Response response;
  grpc::ClientContext context;
  PrepareContext(context, timeout.count() > 0 ? timeout : timeout_);
  absl::Status status =
      Finish(((*connection)->stub().*method)(&context, request, &response),
             socket_path_, *channel_, *connection);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Credential> Client::GetCredential(
    const std::string& name, std::chrono::seconds min_ttl) {
  v1::GetCredentialRequest request;
  request.set_name(name);
  if (min_ttl.count() > 0)
    request.mutable_min_ttl()->set_seconds(min_ttl.count());
  request.set_exec_command(exec_command_);
  return Unary(&v1::Agent::Stub::GetCredential, request, credential_timeout_);
}

absl::StatusOr<v1::Credential> Client::ForceRefresh(const std::string& name,
                                                    uint64_t rejected_version) {
  v1::GetCredentialRequest request;
  request.set_name(name);
  request.set_force_refresh(true);
  request.set_rejected_version(rejected_version);
  request.set_exec_command(exec_command_);
  return Unary(&v1::Agent::Stub::GetCredential, request, credential_timeout_);
}

absl::StatusOr<v1::ListCredentialsResponse> Client::ListCredentials() {
  return Unary(&v1::Agent::Stub::ListCredentials, v1::ListCredentialsRequest());
}

absl::StatusOr<v1::GetSecretKeysResponse> Client::GetSecretKeys() {
  return Unary(&v1::Agent::Stub::GetSecretKeys, v1::GetSecretKeysRequest());
}

absl::StatusOr<v1::RedactResponse> Client::Redact(const std::string& text) {
  v1::RedactRequest request;
  request.set_text(text);
  return Unary(&v1::Agent::Stub::Redact, request);
}

absl::StatusOr<uint64_t> Client::RedactStream(
    const std::function<bool(std::string*)>& next_chunk,
    const std::function<void(const std::string&)>& on_output) {
  absl::StatusOr<std::shared_ptr<client_internal::AgentConnection>> connection =
      channel_->Get();
  if (!connection.ok()) return connection.status();
  grpc::ClientContext context;
  // Input of any size may take a while; the agent never waits on anything
  // but this client.
  PrepareContext(context, std::chrono::hours(24));
  std::shared_ptr<
      grpc::ClientReaderWriter<v1::RedactRequest, v1::RedactResponse>>
      stream = (*connection)->stub().RedactStream(&context);
  // The agent answers each request before it reads the next, so sending and
  // receiving alternate on this one thread.
  v1::RedactRequest request;
  v1::RedactResponse response;
  uint64_t replacements = 0;
  bool more = true;
  while (more) {
    request.clear_text();
    more = next_chunk(request.mutable_text());
    if (!more) break;
    if (!stream->Write(request) || !stream->Read(&response)) break;
    on_output(response.text());
    replacements = response.replacements();
  }
  stream->WritesDone();
  while (stream->Read(&response)) {
    on_output(response.text());
    replacements = response.replacements();
  }
  absl::Status status =
      Finish(stream->Finish(), socket_path_, *channel_, *connection);
  if (!status.ok()) return status;
  return replacements;
}

absl::StatusOr<v1::GetRedactionValuesResponse> Client::GetRedactionValues() {
  v1::GetRedactionValuesRequest request;
  request.set_exec_command(exec_command_);
  return Unary(&v1::Agent::Stub::GetRedactionValues, request);
}

absl::Status Client::ReportRedactions(
    const v1::ReportRedactionsRequest& request) {
  return Unary(&v1::Agent::Stub::ReportRedactions, request).status();
}

absl::StatusOr<v1::ReloadResponse> Client::Reload() {
  return Unary(&v1::Agent::Stub::Reload, v1::ReloadRequest());
}

absl::StatusOr<v1::AgentStatus> Client::GetStatus() {
  return Unary(&v1::Agent::Stub::GetStatus, v1::GetStatusRequest());
}

absl::Status Client::Logout(const std::string& name) {
  v1::LogoutRequest request;
  request.set_name(name);
  return Unary(&v1::Agent::Stub::Logout, request).status();
}

absl::StatusOr<v1::AddSecretResponse> Client::AddSecret(
    const std::string& name, std::string_view value) {
  v1::AddSecretRequest request;
  request.set_name(name);
  request.set_value(value.data(), value.size());
  absl::StatusOr<v1::AddSecretResponse> response =
      Unary(&v1::Agent::Stub::AddSecret, request);
  // The request's copy of the secret is not needed any more.
  WipeString(request.mutable_value());
  return response;
}

absl::StatusOr<v1::RemoveSecretResponse> Client::RemoveSecret(
    const std::string& name) {
  v1::RemoveSecretRequest request;
  request.set_name(name);
  return Unary(&v1::Agent::Stub::RemoveSecret, request);
}

namespace {

// `status`, once the request's copy of a passphrase is wiped.
absl::Status Wiped(absl::Status status, std::string* passphrase) {
  explicit_bzero(passphrase->data(), passphrase->size());
  return status;
}

}  // namespace

absl::Status Client::Lock(std::string_view passphrase) {
  v1::LockRequest request;
  request.set_passphrase(passphrase.data(), passphrase.size());
  return Wiped(Unary(&v1::Agent::Stub::Lock, request).status(),
               request.mutable_passphrase());
}

absl::Status Client::Unlock(std::string_view passphrase) {
  v1::UnlockRequest request;
  request.set_passphrase(passphrase.data(), passphrase.size());
  return Wiped(Unary(&v1::Agent::Stub::Unlock, request).status(),
               request.mutable_passphrase());
}

template <typename Event, typename Open>
absl::Status Client::ReadStream(
    std::chrono::milliseconds timeout, Open open,
    const std::function<void(const Event&)>& on_event,
    LoginCanceller* canceller) {
  grpc::ClientContext context;
  PrepareContext(context, timeout);
  if (canceller != nullptr && !canceller->Attach(&context)) {
    return absl::CancelledError("cancelled");
  }
  absl::StatusOr<std::shared_ptr<client_internal::AgentConnection>> connection =
      channel_->Get();
  if (!connection.ok()) {
    if (canceller != nullptr) canceller->Detach();
    return connection.status();
  }
  std::unique_ptr<grpc::ClientReader<Event>> reader =
      open((*connection)->stub(), &context);
  Event event;
  while (reader->Read(&event)) on_event(event);
  grpc::Status status = reader->Finish();
  if (canceller != nullptr) {
    canceller->Detach();
    if (canceller->cancelled() &&
        status.error_code() == grpc::StatusCode::CANCELLED) {
      return absl::CancelledError("cancelled");
    }
  }
  return Finish(status, socket_path_, *channel_, *connection);
}

absl::Status Client::Login(
    const v1::LoginRequest& request,
    const std::function<void(const v1::LoginEvent&)>& on_event,
    LoginCanceller* canceller) {
  absl::Status status = ReadStream<v1::LoginEvent>(
      login_timeout_,
      [&](v1::Agent::Stub& stub, grpc::ClientContext* context) {
        return stub.Login(context, request);
      },
      on_event, canceller);
  if (absl::IsCancelled(status) && canceller != nullptr &&
      canceller->cancelled()) {
    return absl::CancelledError("login cancelled");
  }
  return status;
}

absl::Status Client::Watch(
    const std::vector<std::string>& names,
    const std::function<void(const v1::CredentialEvent&)>& on_event,
    LoginCanceller* canceller) {
  v1::WatchCredentialsRequest request;
  for (const std::string& name : names) request.add_names(name);
  request.set_exec_command(exec_command_);
  // A watch lasts as long as its host: no deadline worth the name.
  return ReadStream<v1::CredentialEvent>(
      std::chrono::hours(24 * 365),
      [&](v1::Agent::Stub& stub, grpc::ClientContext* context) {
        return stub.WatchCredentials(context, request);
      },
      on_event, canceller);
}

}  // namespace mcpcred

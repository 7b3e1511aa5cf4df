#include "mcpcred/client.h"

#include <grpcpp/grpcpp.h>
#include <string.h>

#include <utility>

#include "agent_unreachable.h"
#include "mcpcred/common/paths.h"

namespace mcpcred {
namespace {

// grpc::StatusCode and absl::StatusCode share their numbering (both follow
// google.rpc.Code), so the cast keeps the kind of error.
absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& socket_path) {
  grpc::ChannelArguments args;
  // gRPC's default reconnect backoff grows to two minutes; a long-lived host
  // must find a restarted agent within a second, and the socket is local.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel("unix:" + socket_path,
                                   grpc::InsecureChannelCredentials(), args);
}

// Fails fast when no agent runs (wait_for_ready(false)): a CLI or an exec
// wrapper should say so at once rather than wait out the deadline.
void PrepareContext(grpc::ClientContext& context,
                    std::chrono::milliseconds timeout) {
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  context.set_wait_for_ready(false);
}

// Every call ends here: UNAVAILABLE is also what the agent answers when an
// upstream is down, so only a failed connection to the socket itself becomes
// the how-to-start-an-agent error.
absl::Status Finish(const grpc::Status& status,
                    const std::string& socket_path) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      client_internal::NothingListensOn(socket_path)) {
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
      stub_(v1::Agent::NewStub(MakeChannel(socket_path_))) {}

absl::StatusOr<v1::Credential> Client::GetCredential(
    const std::string& name, std::chrono::seconds min_ttl) {
  v1::GetCredentialRequest request;
  request.set_name(name);
  if (min_ttl.count() > 0)
    request.mutable_min_ttl()->set_seconds(min_ttl.count());
  v1::Credential response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status =
      Finish(stub_->GetCredential(&context, request, &response), socket_path_);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ListCredentialsResponse> Client::ListCredentials() {
  v1::ListCredentialsResponse response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status = Finish(
      stub_->ListCredentials(&context, v1::ListCredentialsRequest(), &response),
      socket_path_);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::GetSecretKeysResponse> Client::GetSecretKeys() {
  v1::GetSecretKeysResponse response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status = Finish(
      stub_->GetSecretKeys(&context, v1::GetSecretKeysRequest(), &response),
      socket_path_);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::RedactResponse> Client::Redact(const std::string& text) {
  v1::RedactRequest request;
  request.set_text(text);
  v1::RedactResponse response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status =
      Finish(stub_->Redact(&context, request, &response), socket_path_);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ReloadResponse> Client::Reload() {
  v1::ReloadResponse response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status = Finish(
      stub_->Reload(&context, v1::ReloadRequest(), &response), socket_path_);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::AgentStatus> Client::GetStatus() {
  v1::AgentStatus response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status =
      Finish(stub_->GetStatus(&context, v1::GetStatusRequest(), &response),
             socket_path_);
  if (!status.ok()) return status;
  return response;
}

absl::Status Client::Logout(const std::string& name) {
  v1::LogoutRequest request;
  request.set_name(name);
  v1::LogoutResponse response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  return Finish(stub_->Logout(&context, request, &response), socket_path_);
}

absl::StatusOr<v1::AddSecretResponse> Client::AddSecret(
    const std::string& name, const std::string& value) {
  v1::AddSecretRequest request;
  request.set_name(name);
  request.set_value(value);
  v1::AddSecretResponse response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status =
      Finish(stub_->AddSecret(&context, request, &response), socket_path_);
  // The request's copy of the secret is not needed any more.
  explicit_bzero(request.mutable_value()->data(), request.value().size());
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::RemoveSecretResponse> Client::RemoveSecret(
    const std::string& name) {
  v1::RemoveSecretRequest request;
  request.set_name(name);
  v1::RemoveSecretResponse response;
  grpc::ClientContext context;
  PrepareContext(context, timeout_);
  absl::Status status =
      Finish(stub_->RemoveSecret(&context, request, &response), socket_path_);
  if (!status.ok()) return status;
  return response;
}

absl::Status Client::Login(
    const v1::LoginRequest& request,
    const std::function<void(const v1::LoginEvent&)>& on_event,
    LoginCanceller* canceller) {
  grpc::ClientContext context;
  PrepareContext(context, login_timeout_);
  if (canceller != nullptr && !canceller->Attach(&context)) {
    return absl::CancelledError("login cancelled");
  }
  std::unique_ptr<grpc::ClientReader<v1::LoginEvent>> reader =
      stub_->Login(&context, request);
  v1::LoginEvent event;
  while (reader->Read(&event)) on_event(event);
  grpc::Status status = reader->Finish();
  if (canceller != nullptr) {
    canceller->Detach();
    if (canceller->cancelled() &&
        status.error_code() == grpc::StatusCode::CANCELLED) {
      return absl::CancelledError("login cancelled");
    }
  }
  return Finish(status, socket_path_);
}

}  // namespace mcpcred

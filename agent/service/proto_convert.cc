#include "agent/service/proto_convert.h"

#include <string>

#include "mcpcred/common/secret_string.h"

namespace mcpcred {
namespace {

void ToTimestamp(absl::Time time, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(time);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

void ToProto(const RenderedCredential& credential, v1::Credential* out) {
  out->set_name(credential.name);
  // The protobuf copies are ordinary strings: WipeSecretFields() wipes them
  // once the message is sent.
  for (const auto& [key, value] : credential.env) {
    (*out->mutable_env())[key].assign(value.data(), value.size());
  }
  for (const auto& [name, value] : credential.headers) {
    (*out->mutable_headers())[name].assign(value.data(), value.size());
  }
  if (credential.expires_at.has_value()) {
    ToTimestamp(*credential.expires_at, out->mutable_expires_at());
  }
  for (const std::string& key : credential.secret_env_keys) {
    out->add_secret_env_keys(key);
  }
  for (const std::string& name : credential.secret_header_names) {
    out->add_secret_header_names(name);
  }
  out->set_token(credential.token.data(), credential.token.size());
  out->set_version(credential.version);
}

void WipeSecretFields(v1::Credential* credential) {
  for (auto& [key, value] : *credential->mutable_env()) WipeString(&value);
  for (auto& [name, value] : *credential->mutable_headers()) {
    WipeString(&value);
  }
  WipeString(credential->mutable_token());
}

void WipeGetCredential(v1::GetCredentialRequest*, v1::Credential* response) {
  WipeSecretFields(response);
}

void WipeAddSecret(v1::AddSecretRequest* request, v1::AddSecretResponse*) {
  WipeString(request->mutable_value());
}

void WipeRedactionValues(v1::GetRedactionValuesRequest*,
                         v1::GetRedactionValuesResponse* response) {
  for (v1::RedactionValue& value : *response->mutable_values()) {
    WipeString(value.mutable_value());
  }
}

void ToProto(const CredentialSnapshot& snapshot, v1::CredentialInfo* out) {
  out->set_name(snapshot.name);
  out->set_provider(snapshot.provider);
  switch (snapshot.state) {
    case CredentialState::kReady:
      out->set_state(v1::CredentialInfo::READY);
      break;
    case CredentialState::kLoginRequired:
      out->set_state(v1::CredentialInfo::LOGIN_REQUIRED);
      break;
    case CredentialState::kError:
      out->set_state(v1::CredentialInfo::ERROR);
      break;
  }
  if (snapshot.expires_at.has_value()) {
    ToTimestamp(*snapshot.expires_at, out->mutable_expires_at());
  }
  out->set_last_error(snapshot.last_error);
  out->set_cached(snapshot.cached);
  out->set_has_login(snapshot.has_login);
}

}  // namespace mcpcred

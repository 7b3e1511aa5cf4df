#include "agent/service/proto_convert.h"

#include <string>

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
  out->mutable_env()->insert(credential.env.begin(), credential.env.end());
  out->mutable_headers()->insert(credential.headers.begin(),
                                 credential.headers.end());
  if (credential.expires_at.has_value()) {
    ToTimestamp(*credential.expires_at, out->mutable_expires_at());
  }
  for (const std::string& key : credential.secret_env_keys) {
    out->add_secret_env_keys(key);
  }
  for (const std::string& name : credential.secret_header_names) {
    out->add_secret_header_names(name);
  }
  out->set_token(credential.token);
  out->set_version(credential.version);
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

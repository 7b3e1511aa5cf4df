#include "agent/plugin/provider_instance.h"

#include <openssl/crypto.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/plugin/plugin_status.h"

namespace mcpcred {

absl::StatusOr<std::unique_ptr<ProviderInstance>> ProviderInstance::Create(
    std::shared_ptr<const PluginLibrary> library, const std::string& credential,
    const nlohmann::json& config, SecretStore* store, const Clock* clock,
    std::string* error_key, RedactionRegistry* redaction) {
  auto host = std::make_unique<mcpcred_host_ctx>();
  host->credential = credential;
  host->store = store;
  host->clock = clock;
  host->redaction = redaction;
  std::unique_ptr<ProviderInstance> instance(
      new ProviderInstance(std::move(library), std::move(host)));

  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  const std::string json = config.dump();
  int32_t rc =
      instance->library_->create()(instance->host_.get(), credential.c_str(),
                                   json.c_str(), &instance->instance_, &error);
  if (rc != MCPCRED_OK) {
    if (error_key != nullptr) {
      error_key->assign(error.key, strnlen(error.key, sizeof(error.key)));
    }
    instance->instance_ = nullptr;
    return instance->Scrubbed(StatusFromPlugin(rc, error));
  }
  return instance;
}

absl::Status ProviderInstance::Scrubbed(absl::Status status) const {
  if (status.ok() || host_->redaction == nullptr) return status;
  absl::Status scrubbed(status.code(), host_->redaction->ScrubMessage(
                                           std::string(status.message())));
  // Payloads (e.g. "login required") carry no text from the plugin.
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    scrubbed.SetPayload(url, payload);
  });
  return scrubbed;
}

ProviderInstance::~ProviderInstance() {
  if (instance_ != nullptr) library_->destroy()(instance_);
}

namespace {

// The token of a fetch or login that returned `rc`. A value the host refused
// fails the call whatever the plugin made of the refusal.
absl::StatusOr<FetchedToken> TokenFromSink(const std::string& provider,
                                           const std::string& credential,
                                           int32_t rc,
                                           const mcpcred_error& error,
                                           mcpcred_token_sink& sink) {
  if (!sink.refused.empty()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("credential \"", credential, "\": ", sink.refused));
  }
  if (rc != MCPCRED_OK) return StatusFromPlugin(rc, error);
  if (sink.variables.empty()) {
    return absl::InternalError(
        absl::StrCat("provider ", provider, " returned no credential"));
  }
  FetchedToken token;
  auto explicit_token = sink.variables.find("token");
  token.token = explicit_token != sink.variables.end()
                    ? explicit_token->second
                    : sink.variables[sink.first_variable];
  token.variables = std::move(sink.variables);
  if (sink.expires_at_ms.has_value()) {
    token.expires_at = absl::FromUnixMillis(*sink.expires_at_ms);
  }
  return token;
}

}  // namespace

absl::StatusOr<FetchedToken> ProviderInstance::Fetch() {
  mcpcred_token_sink sink;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = library_->fetch()(instance_, &sink, &error);
  absl::StatusOr<FetchedToken> token =
      TokenFromSink(library_->name(), host_->credential, rc, error, sink);
  if (!token.ok()) return Scrubbed(token.status());
  return token;
}

absl::StatusOr<FetchedToken> ProviderInstance::Login(LoginObserver* observer,
                                                     bool prefer_device) {
  if (library_->login() == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "provider \"", library_->name(), "\" has no login: nothing to do"));
  }
  mcpcred_login_session session;
  session.host = host_.get();
  session.observer = observer;
  mcpcred_token_sink sink;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = library_->login()(
      instance_, &session, prefer_device ? MCPCRED_LOGIN_PREFER_DEVICE : 0u,
      &sink, &error);
  absl::StatusOr<FetchedToken> token =
      TokenFromSink(library_->name(), host_->credential, rc, error, sink);
  if (!token.ok()) return Scrubbed(token.status());
  return token;
}

absl::Status ProviderInstance::Logout() {
  if (library_->logout() == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "provider \"", library_->name(), "\" has no login: nothing to do"));
  }
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = library_->logout()(instance_, &error);
  return Scrubbed(StatusFromPlugin(rc, error));
}

}  // namespace mcpcred

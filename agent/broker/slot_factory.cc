#include "agent/broker/slot_factory.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/config/env_expand.h"

namespace mcpcred {
namespace {

std::shared_ptr<CredentialSlot> BuildOne(
    const std::string& path, const config::CredentialConfig& credential,
    const PluginRegistry& plugins, SecretStore* store, const Clock* clock,
    RedactionRegistry* redaction, bool allow_prefetch) {
  std::shared_ptr<const PluginLibrary> library =
      plugins.Find(credential.provider);
  const bool has_login = library != nullptr && library->has_login();
  if (!credential.error.ok()) {
    return std::make_shared<CredentialSlot>(credential, nullptr,
                                            credential.error, has_login);
  }
  if (library == nullptr) {  // the loader checks this; be safe anyway
    return std::make_shared<CredentialSlot>(
        credential, nullptr,
        absl::FailedPreconditionError(absl::StrCat(
            path, ":", credential.line, ": credential \"", credential.name,
            "\": no provider \"", credential.provider, "\" is loaded")),
        false);
  }
  std::string key;
  absl::StatusOr<std::unique_ptr<ProviderInstance>> instance =
      ProviderInstance::Create(library, credential.name,
                               credential.provider_config, store, clock, &key,
                               redaction);
  if (!instance.ok()) {
    // The provider saw expanded values; the person wrote ${VAR}.
    const std::string why = config::HideExpansions(instance.status().message(),
                                                   credential.expansions);
    std::string message =
        key.empty()
            ? absl::StrCat(path, ":", credential.line, ": credential \"",
                           credential.name, "\": ", why)
            : config::DescribeKeyError(path, credential, key, why);
    return std::make_shared<CredentialSlot>(
        credential, nullptr, absl::Status(instance.status().code(), message),
        has_login);
  }
  // Providers that neither log in nor expire (static secrets) are local and
  // cheap: fetch them at once.
  const bool prefetch = allow_prefetch && library->flags() == 0;
  return std::make_shared<CredentialSlot>(
      credential, *std::move(instance), absl::OkStatus(), has_login, prefetch);
}

}  // namespace

std::vector<std::shared_ptr<CredentialSlot>> BuildSlots(
    const config::AgentConfig& config, const PluginRegistry& plugins,
    SecretStore* store, const Clock* clock, std::vector<std::string>* errors,
    RedactionRegistry* redaction, bool prefetch) {
  std::vector<std::shared_ptr<CredentialSlot>> slots;
  for (const config::CredentialConfig& credential : config.credentials) {
    std::shared_ptr<CredentialSlot> slot = BuildOne(
        config.path, credential, plugins, store, clock, redaction, prefetch);
    if (!slot->load_error().ok()) {
      errors->push_back(std::string(slot->load_error().message()));
    }
    slots.push_back(std::move(slot));
  }
  return slots;
}

}  // namespace mcpcred

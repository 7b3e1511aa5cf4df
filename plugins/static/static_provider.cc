// The "static" provider: a long-lived secret (an API key) from the
// environment, a file or the keyring. It never expires. env: and file:
// sources are read when the credential is created (at start and on every
// reload), so a broken source shows up in `mcpcred list` at once; keyring:
// is read on each fetch, so `mcpcred add` takes effect without a reload.
#include <cstring>
#include <memory>
#include <string>

#include "mcpcred/common/secret_string.h"
#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/sdk/host.h"
#include "plugins/sdk/status.h"

namespace {

using mcpcred::plugin::SetError;

struct StaticInstance {
  mcpcred_host_ctx* host = nullptr;
  std::string reference;
  // Empty for keyring:, which is read on each fetch.
  mcpcred::SecretString value;
};

const mcpcred_field kFields[] = {
    {"secret", MCPCRED_FIELD_SECRET_REF, 1,
     "where the secret is: \"env:VAR\", \"file:PATH\" or \"keyring:NAME\""},
};
const char* const kVariables[] = {"secret"};

const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "static",
    "a long-lived secret such as an API key; never expires",
    kFields,
    1,
    kVariables,
    1,
    0,
};

const mcpcred_provider_info* Info() { return &kInfo; }

int32_t Create(mcpcred_host_ctx* host, const char* credential_name,
               const char* config_json, void** instance, mcpcred_error* error) {
  nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
  if (!config.is_object() || !config.contains("secret") ||
      !config["secret"].is_string()) {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG,
                    "\"secret\" must be a secret reference", "secret");
  }
  auto self = std::make_unique<StaticInstance>();
  self->host = host;
  self->reference = config["secret"].get<std::string>();
  if (self->reference.rfind("keyring:", 0) != 0) {
    int32_t rc = mcpcred::plugin::ResolveSecret(host, self->reference,
                                                &self->value, error);
    if (rc != MCPCRED_OK) {
      std::strncpy(error->key, "secret", sizeof(error->key) - 1);
      return rc;
    }
  }
  *instance = self.release();
  return MCPCRED_OK;
}

void Destroy(void* instance) { delete static_cast<StaticInstance*>(instance); }

int32_t Fetch(void* instance, mcpcred_token_sink* sink, mcpcred_error* error) {
  auto* self = static_cast<StaticInstance*>(instance);
  if (!self->value.empty()) {
    return mcpcred::plugin::SetVariable(sink, "secret", self->value.view());
  }
  mcpcred::SecretString value;
  int32_t rc = mcpcred::plugin::ResolveSecret(self->host, self->reference,
                                              &value, error);
  if (rc != MCPCRED_OK) return rc;
  return mcpcred::plugin::SetVariable(sink, "secret", value.view());
}

const mcpcred_dispatch kDispatch[] = {
    MCPCRED_SDK_ENTRY(prov_info, &Info),
    MCPCRED_SDK_ENTRY(prov_create, &Create),
    MCPCRED_SDK_ENTRY(prov_destroy, &Destroy),
    MCPCRED_SDK_ENTRY(prov_fetch, &Fetch),
    MCPCRED_DISPATCH_END,
};

}  // namespace

MCPCRED_DEFINE_PROVIDER_ENTRY(kDispatch)

// The "github-app" provider: mints GitHub App installation tokens (one hour)
// and lets the broker re-mint them ahead of expiry. The private key is read
// once, at create, and checked there without OpenSSL (key_check.h); it is
// parsed into an EVP_PKEY at the first fetch, which signs with it, and never
// leaves this plugin.

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/github_app/app_jwt.h"
#include "plugins/github_app/installation_token.h"
#include "plugins/github_app/key_check.h"
#include "plugins/sdk/host.h"
#include "plugins/sdk/status.h"

namespace {

using mcpcred::plugin::SetError;
namespace gh = mcpcred::github_app;

struct GitHubAppInstance {
  mcpcred_host_ctx* host = nullptr;
  int64_t app_id = 0;
  int64_t installation_id = 0;
  std::string api_url = "https://api.github.com";
  std::string body;
  bool allow_private = false;
  // The PEM until the first fetch parses it into `key`; then empty.
  std::mutex key_mu;
  mcpcred::SecretString pem;
  gh::PrivateKey key;
};

// The instance's key, parsed at its first use; null with *error set if
// OpenSSL refuses what the check at create let through.
EVP_PKEY* KeyOf(GitHubAppInstance* self, mcpcred_error* error) {
  std::lock_guard<std::mutex> lock(self->key_mu);
  if (self->key == nullptr) {
    std::string why;
    self->key = gh::ParseRsaPrivateKey(self->pem.view(), &why);
    if (self->key == nullptr) {
      SetError(error, MCPCRED_ERR_INVALID_CONFIG, "the key " + why,
               "private_key");
      return nullptr;
    }
    self->pem = mcpcred::SecretString();
  }
  return self->key.get();
}

const mcpcred_field kFields[] = {
    {"app_id", MCPCRED_FIELD_INTEGER, 1, "the GitHub App's numeric id"},
    {"installation_id", MCPCRED_FIELD_INTEGER, 1, "the installation's id"},
    {"private_key", MCPCRED_FIELD_SECRET_REF, 1,
     "the app's PEM private key: \"file:PATH\" or \"keyring:NAME\""},
    {"api_url", MCPCRED_FIELD_STRING, 0,
     "REST API base URL (GitHub Enterprise Server); default "
     "https://api.github.com"},
    {"permissions", MCPCRED_FIELD_STRING_TABLE, 0,
     "down-scoped permissions, e.g. { contents = \"read\" }"},
    {"repositories", MCPCRED_FIELD_STRING_ARRAY, 0,
     "repository names the token is limited to"},
    {"allow_private_network", MCPCRED_FIELD_BOOLEAN, 0,
     "allow an api_url on a private network address"},
};
const char* const kVariables[] = {"access_token"};

const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "github-app",
    "GitHub App installation access tokens, re-minted before they expire",
    kFields,
    sizeof(kFields) / sizeof(kFields[0]),
    kVariables,
    1,
    MCPCRED_PROVIDER_EXPIRES,
};

const mcpcred_provider_info* Info() { return &kInfo; }

int32_t Create(mcpcred_host_ctx* host, const char* credential_name,
               const char* config_json, void** instance, mcpcred_error* error) {
  nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
  if (!config.is_object()) {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG, "malformed config");
  }
  auto self = std::make_unique<GitHubAppInstance>();
  self->host = host;
  self->app_id = config.value("app_id", int64_t{0});
  self->installation_id = config.value("installation_id", int64_t{0});
  if (self->app_id <= 0) {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG, "must be positive",
                    "app_id");
  }
  if (self->installation_id <= 0) {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG, "must be positive",
                    "installation_id");
  }
  self->api_url = config.value("api_url", self->api_url);
  self->allow_private = config.value("allow_private_network", false);
  self->body = gh::AccessTokensBody(
      config.value("permissions", std::map<std::string, std::string>()),
      config.value("repositories", std::vector<std::string>()));

  mcpcred::SecretString pem;
  int32_t rc = mcpcred::plugin::ResolveSecret(
      host, config.value("private_key", std::string()), &pem, error);
  if (rc != MCPCRED_OK) {
    std::strncpy(error->key, "private_key", sizeof(error->key) - 1);
    return rc;
  }
  std::string why;
  if (!gh::CheckRsaKeyPem(pem.view(), &why)) {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG, "the key " + why,
                    "private_key");
  }
  self->pem = std::move(pem);
  *instance = self.release();
  return MCPCRED_OK;
}

void Destroy(void* instance) {
  delete static_cast<GitHubAppInstance*>(instance);
}

int32_t Fetch(void* instance, mcpcred_token_sink* sink, mcpcred_error* error) {
  auto* self = static_cast<GitHubAppInstance*>(instance);
  const auto& host = mcpcred::plugin::host();
  EVP_PKEY* key = KeyOf(self, error);
  if (key == nullptr) return MCPCRED_ERR_INVALID_CONFIG;
  const int64_t now = host.now_ms(self->host) / 1000;
  const mcpcred::SecretString jwt = gh::SignAppJwt(key, self->app_id, now);
  if (jwt.empty()) {
    return SetError(error, MCPCRED_ERR_INTERNAL, "cannot sign the app JWT");
  }
  mcpcred::plugin::HttpCall call;
  call.method = "POST";
  call.url = gh::AccessTokensUrl(self->api_url, self->installation_id);
  call.headers = {{"Accept", "application/vnd.github+json"},
                  {"X-GitHub-Api-Version", "2022-11-28"},
                  {"Content-Type", "application/json"}};
  // Moved in, not copied from an initializer list (which would leave an
  // unwiped copy): the call wipes its header values.
  std::string bearer = "Bearer ";  // inline: no secret byte is left behind
  bearer.append(jwt.view());
  call.headers.emplace_back("Authorization", std::move(bearer));
  call.body = self->body;
  if (self->allow_private) call.flags |= MCPCRED_HTTP_ALLOW_PRIVATE;
  mcpcred::plugin::HttpResult response;
  int32_t rc = mcpcred::plugin::Http(self->host, call, &response, error);
  if (rc != MCPCRED_OK) return rc;
  gh::MintResult minted =
      gh::ParseAccessTokensResponse(response.status, response.body);
  if (minted.code != MCPCRED_OK) {
    return SetError(error, minted.code, minted.message);
  }
  mcpcred::plugin::SetVariable(sink, "access_token", minted.token.token.view());
  host.token_set_expiry(sink, minted.token.expires_at_ms);
  return MCPCRED_OK;
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

// The "oauth2" provider: OAuth 2.1 for remote MCP servers. From the MCP
// server's URL alone it discovers the authorization server, registers itself
// if it has no client_id, logs in (authorization code + PKCE, or the device
// flow), and refreshes; a service uses client credentials instead.
//
// Durability: a rotated refresh token is written to the host's store before
// the new access token is handed out, so a crash at any point keeps a working
// login; the access token is stored too, so a restart serves it without a
// needless refresh.
#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "mcpcred/provider.h"
#include "plugins/oauth2/discoverer.h"
#include "plugins/oauth2/discovery/scope_selection.h"
#include "plugins/oauth2/discovery/url.h"
#include "plugins/oauth2/login_flows.h"
#include "plugins/oauth2/oauth2_config.h"
#include "plugins/oauth2/token_client.h"
#include "plugins/oauth2/token_store.h"
#include "plugins/sdk/host.h"
#include "plugins/sdk/jws.h"
#include "plugins/sdk/status.h"

namespace mcpcred::oauth2 {
namespace {

// A token response without expires_in is assumed to live this long.
constexpr int64_t kDefaultLifetimeMs = 3600 * 1000;

class OAuth2Instance {
 public:
  OAuth2Instance(mcpcred_host_ctx* host, std::string name, OAuth2Config config,
                 SecretString client_secret, plugin::PrivateKey private_key,
                 SecretString idp_client_secret)
      : host_(host),
        name_(std::move(name)),
        config_(std::move(config)),
        client_secret_(std::move(client_secret)),
        private_key_(std::move(private_key)),
        idp_client_secret_(std::move(idp_client_secret)),
        http_{host, config_.allow_private_network} {}

  int32_t Fetch(mcpcred_token_sink* sink, mcpcred_error* error);
  int32_t Login(mcpcred_login_session* session, uint32_t flags,
                mcpcred_token_sink* sink, mcpcred_error* error);
  int32_t Logout(mcpcred_error* error);

 private:
  struct Tokens {
    SecretString access_token;
    int64_t expires_at_ms = 0;
    SecretString refresh_token;
  };

  int64_t NowMs() const { return plugin::host().now_ms(host_); }
  absl::StatusOr<Endpoints> GetEndpoints();
  // The client, in the MCP spec's order: the configured client_id, else the
  // Client ID Metadata Document URL where the server supports it, else a
  // stored registration, else a new one. A stored registration whose
  // redirect port differs from `redirect_port` (when both are set) is
  // replaced by a new one: some servers match redirect URIs exactly.
  absl::StatusOr<ClientAuth> GetClient(const Endpoints& endpoints,
                                       int redirect_port = -1);
  // A configured client's authentication.
  ClientAuth ConfiguredClient(const Endpoints& endpoints) const;
  TokenStore Store(const Endpoints& endpoints) const;
  // grant = "id_jag": the identity assertion exchanged for an ID-JAG at the
  // identity provider, then the jwt-bearer grant at the authorization server.
  TokenResult IdJagGrant(const Endpoints& endpoints);
  // Persists (refresh token first), remembers and reports a token response.
  absl::Status Accept(const Endpoints& endpoints, const TokenSet& tokens,
                      mcpcred_token_sink* sink);
  absl::Status Refresh(const Endpoints& endpoints, mcpcred_token_sink* sink);

  mcpcred_host_ctx* const host_;
  const std::string name_;
  const OAuth2Config config_;
  const SecretString client_secret_;
  const plugin::PrivateKey private_key_;
  const SecretString idp_client_secret_;
  const HttpContext http_;

  absl::Mutex mu_;
  std::optional<Endpoints> endpoints_ ABSL_GUARDED_BY(mu_);
  std::optional<ClientAuth> client_ ABSL_GUARDED_BY(mu_);
  int client_redirect_port_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<Tokens> tokens_ ABSL_GUARDED_BY(mu_);
  bool consulted_store_ ABSL_GUARDED_BY(mu_) = false;
  // Why there is no login any more ("" when there never was one).
  std::string lost_reason_ ABSL_GUARDED_BY(mu_);
  // One refresh at a time: a rotated refresh token is single-use.
  absl::Mutex refresh_mu_;
};

absl::StatusOr<Endpoints> OAuth2Instance::GetEndpoints() {
  {
    absl::MutexLock lock(&mu_);
    if (endpoints_.has_value()) return *endpoints_;
  }
  absl::StatusOr<Endpoints> found = Discover(http_, config_);
  if (!found.ok()) return found.status();
  absl::MutexLock lock(&mu_);
  endpoints_ = *found;
  return found;
}

ClientAuth OAuth2Instance::ConfiguredClient(const Endpoints& endpoints) const {
  ClientAuth client{config_.client_id, client_secret_, AuthMethod::kNone,
                    private_key_.get()};
  client.method = ChooseAuthMethod(
      config_.auth_method, "", !client_secret_.empty(), private_key_ != nullptr,
      endpoints.server.token_endpoint_auth_methods_supported);
  return client;
}

TokenStore OAuth2Instance::Store(const Endpoints& endpoints) const {
  return TokenStore(host_, endpoints.server.issuer, config_.client_id,
                    endpoints.resource, config_.account);
}

absl::StatusOr<ClientAuth> OAuth2Instance::GetClient(const Endpoints& endpoints,
                                                     int redirect_port) {
  if (!config_.client_id.empty()) return ConfiguredClient(endpoints);
  if (!config_.client_metadata_url.empty() &&
      endpoints.server.client_id_metadata_document_supported) {
    return ClientAuth{config_.client_metadata_url, "", AuthMethod::kNone,
                      nullptr};
  }
  {
    absl::MutexLock lock(&mu_);
    if (client_.has_value() &&
        (redirect_port < 0 || client_redirect_port_ == 0 ||
         client_redirect_port_ == redirect_port)) {
      return *client_;
    }
  }
  TokenStore store(host_, endpoints.server.issuer);
  absl::StatusOr<std::optional<StoredClient>> stored = store.Client();
  if (!stored.ok()) return stored.status();
  StoredClient client;
  if (stored->has_value() &&
      (redirect_port < 0 || (*stored)->redirect_port == 0 ||
       (*stored)->redirect_port == redirect_port)) {
    client = **stored;
  } else {
    absl::StatusOr<StoredClient> registered = RegisterClient(
        http_, endpoints,
        endpoints.server.device_authorization_endpoint.has_value(),
        std::max(redirect_port, 0));
    if (!registered.ok()) return registered.status();
    absl::Status saved = store.PutClient(*registered);
    if (!saved.ok()) return saved;
    plugin::Log(host_, MCPCRED_LOG_INFO,
                "registered as client " + registered->client_id + " at " +
                    endpoints.server.issuer);
    client = *std::move(registered);
  }
  ClientAuth auth{client.client_id, client.client_secret, AuthMethod::kNone,
                  nullptr};
  auth.method =
      ChooseAuthMethod(config_.auth_method, client.token_endpoint_auth_method,
                       !client.client_secret.empty(), false,
                       endpoints.server.token_endpoint_auth_methods_supported);
  absl::MutexLock lock(&mu_);
  client_ = auth;
  client_redirect_port_ = client.redirect_port;
  return auth;
}

TokenResult OAuth2Instance::IdJagGrant(const Endpoints& endpoints) {
  SecretString assertion;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  if (plugin::ResolveSecret(host_, config_.identity_assertion_ref, &assertion,
                            &error) != MCPCRED_OK) {
    TokenError failed;
    failed.kind = TokenErrorKind::kLoginRequired;
    failed.message =
        std::string("cannot read the identity_assertion: ") + error.message;
    return TokenResult(std::move(failed));
  }
  ClientAuth idp{config_.idp_client_id, idp_client_secret_, AuthMethod::kNone,
                 nullptr};
  idp.method = idp_client_secret_.empty() ? AuthMethod::kNone
                                          : AuthMethod::kClientSecretBasic;
  std::optional<Url> resource = ParseUrl(config_.resource);
  absl::StatusOr<SecretString> id_jag =
      ExchangeForIdJag(http_, config_.idp_token_endpoint, idp, assertion.view(),
                       config_.identity_assertion_type, endpoints.server.issuer,
                       resource.has_value() ? CanonicalResource(*resource) : "",
                       endpoints.scope);
  if (!id_jag.ok()) {
    TokenError failed;
    failed.kind = absl::IsUnavailable(id_jag.status())
                      ? TokenErrorKind::kRetryable
                      : TokenErrorKind::kLoginRequired;
    failed.message = std::string(id_jag.status().message());
    return TokenResult(std::move(failed));
  }
  FormParams grant = {
      {"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
      {"assertion", id_jag->view()}};
  if (!endpoints.scope.empty()) grant.emplace_back("scope", endpoints.scope);
  return RequestToken(http_, endpoints, ConfiguredClient(endpoints),
                      std::move(grant), id_jag->view());
}

absl::Status OAuth2Instance::Accept(const Endpoints& endpoints,
                                    const TokenSet& tokens,
                                    mcpcred_token_sink* sink) {
  Tokens next;
  next.access_token = tokens.access_token;
  next.expires_at_ms =
      NowMs() + (tokens.expires_in.has_value() ? *tokens.expires_in * 1000
                                               : kDefaultLifetimeMs);
  TokenStore store = Store(endpoints);
  {
    // Memory first: once the server rotated the refresh token, the old one
    // is dead and this copy is the login, saved or not.
    absl::MutexLock lock(&mu_);
    if (tokens.refresh_token.has_value()) {
      next.refresh_token = *tokens.refresh_token;
    } else if (tokens_.has_value()) {
      next.refresh_token = tokens_->refresh_token;
    }
    Tokens remembered = next;
    remembered.access_token.clear();  // not served until saved
    tokens_ = std::move(remembered);
    lost_reason_.clear();
  }
  if (tokens.refresh_token.has_value()) {
    absl::Status saved = store.PutRefreshToken(tokens.refresh_token->view());
    if (!saved.ok()) {
      plugin::Log(host_, MCPCRED_LOG_ERROR,
                  "cannot save the new refresh token (kept in memory, saved "
                  "at the next refresh): " +
                      std::string(saved.message()));
      return absl::UnavailableError(
          absl::StrCat("cannot save the new refresh token: ", saved.message()));
    }
  }
  absl::Status saved =
      store.PutAccessToken({next.access_token, next.expires_at_ms});
  if (!saved.ok()) {
    plugin::Log(
        host_, MCPCRED_LOG_WARNING,
        "cannot save the access token: " + std::string(saved.message()));
  }
  plugin::SetVariable(sink, "access_token", next.access_token.view());
  plugin::SetVariable(sink, "token_type",
                      tokens.token_type.empty() ? "Bearer" : tokens.token_type);
  plugin::host().token_set_expiry(sink, next.expires_at_ms);
  absl::MutexLock lock(&mu_);
  tokens_ = std::move(next);
  return absl::OkStatus();
}

absl::Status OAuth2Instance::Refresh(const Endpoints& endpoints,
                                     mcpcred_token_sink* sink) {
  absl::MutexLock refresh_lock(&refresh_mu_);
  TokenStore store = Store(endpoints);
  SecretString refresh_token;
  {
    absl::MutexLock lock(&mu_);
    if (tokens_.has_value()) refresh_token = tokens_->refresh_token;
  }
  if (refresh_token.empty()) {
    absl::StatusOr<std::optional<SecretString>> stored = store.RefreshToken();
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      absl::MutexLock lock(&mu_);
      return absl::FailedPreconditionError(
          lost_reason_.empty() ? "not logged in" : lost_reason_);
    }
    refresh_token = **stored;
  }
  absl::StatusOr<ClientAuth> client = GetClient(endpoints);
  if (!client.ok()) return client.status();
  TokenResult result = RequestToken(http_, endpoints, *client,
                                    {{"grant_type", "refresh_token"},
                                     {"refresh_token", refresh_token.view()}},
                                    refresh_token.view());
  if (result.ok()) return Accept(endpoints, result.tokens(), sink);
  if (result.error().kind == TokenErrorKind::kLoginRequired) {
    // The grant is gone (revoked, expired, or a rotated token reused): drop
    // the dead tokens, keep the client registration.
    (void)store.DeleteTokens();
    absl::MutexLock lock(&mu_);
    tokens_.reset();
    lost_reason_ =
        "the authorization server no longer accepts the refresh token";
    plugin::Log(host_, MCPCRED_LOG_WARNING, lost_reason_);
    return absl::FailedPreconditionError(lost_reason_);
  }
  return ToStatus(result.error());
}

int32_t OAuth2Instance::Fetch(mcpcred_token_sink* sink, mcpcred_error* error) {
  absl::StatusOr<Endpoints> endpoints = GetEndpoints();
  if (!endpoints.ok()) return Fail(error, endpoints.status());

  if (config_.grant == Grant::kClientCredentials ||
      config_.grant == Grant::kIdJag) {
    TokenResult result = TokenResult(TokenError{});
    if (config_.grant == Grant::kIdJag) {
      result = IdJagGrant(*endpoints);
    } else {
      FormParams grant = {{"grant_type", "client_credentials"}};
      if (!endpoints->scope.empty()) {
        grant.emplace_back("scope", endpoints->scope);
      }
      result =
          RequestToken(http_, *endpoints, ConfiguredClient(*endpoints), grant);
    }
    if (!result.ok()) return Fail(error, ToStatus(result.error()));
    return Fail(error, Accept(*endpoints, result.tokens(), sink));
  }

  // After a restart, a stored access token that is still good is served
  // as it is: refreshing it would be needless.
  bool first = false;
  {
    absl::MutexLock lock(&mu_);
    first = !consulted_store_ && !tokens_.has_value();
    consulted_store_ = true;
  }
  if (first) {
    TokenStore store = Store(*endpoints);
    absl::StatusOr<std::optional<StoredAccessToken>> stored =
        store.AccessToken();
    if (stored.ok() && stored->has_value() &&
        (*stored)->expires_at_ms - NowMs() > 60 * 1000) {
      plugin::SetVariable(sink, "access_token", (*stored)->access_token.view());
      plugin::SetVariable(sink, "token_type", "Bearer");
      plugin::host().token_set_expiry(sink, (*stored)->expires_at_ms);
      absl::MutexLock lock(&mu_);
      if (!tokens_.has_value()) {
        tokens_ = Tokens{(*stored)->access_token, (*stored)->expires_at_ms, ""};
      }
      return MCPCRED_OK;
    }
  }
  return Fail(error, Refresh(*endpoints, sink));
}

int32_t OAuth2Instance::Login(mcpcred_login_session* session, uint32_t flags,
                              mcpcred_token_sink* sink, mcpcred_error* error) {
  if (config_.grant == Grant::kClientCredentials ||
      config_.grant == Grant::kIdJag) {
    return plugin::SetError(error, MCPCRED_ERR_UNSUPPORTED,
                            "this grant needs no login");
  }
  if (!plugin::host().has_login_services()) {
    return plugin::SetError(error, MCPCRED_ERR_UNSUPPORTED,
                            "this agent cannot run logins: upgrade it");
  }
  absl::StatusOr<Endpoints> endpoints = GetEndpoints();
  if (!endpoints.ok()) return Fail(error, endpoints.status());
  const bool device = (flags & MCPCRED_LOGIN_PREFER_DEVICE) != 0 ||
                      config_.grant == Grant::kDeviceCode;
  // A step-up: the held scopes and the ones asked for now.
  const std::string more = LoginScopes(session);
  if (!more.empty()) {
    endpoints->scope = UnionScopes(
        endpoints->scope, absl::StrSplit(more, ' ', absl::SkipEmpty()));
  }
  int port = -1;
  if (!device) {
    int preferred = 0;
    {
      absl::MutexLock lock(&mu_);
      preferred = client_redirect_port_;
    }
    if (preferred == 0 && config_.client_id.empty()) {
      TokenStore store(host_, endpoints->server.issuer);
      absl::StatusOr<std::optional<StoredClient>> stored = store.Client();
      if (stored.ok() && stored->has_value()) {
        preferred = (*stored)->redirect_port;
      }
    }
    absl::StatusOr<int> opened = OpenRedirect(session, preferred);
    if (!opened.ok()) return Fail(error, opened.status());
    port = *opened;
  }
  absl::StatusOr<ClientAuth> client = GetClient(*endpoints, port);
  if (!client.ok()) return Fail(error, client.status());
  LoginContext ctx{http_,
                   session,
                   &*endpoints,
                   *client,
                   config_.login_timeout_seconds,
                   config_.login_hint,
                   std::max(port, 0)};
  absl::StatusOr<TokenSet> tokens =
      device ? DeviceLogin(ctx) : AuthorizationCodeLogin(ctx);
  if (!tokens.ok()) {
    // A failed login is not a missing one: keep the code from meaning
    // "run mcpcred login" when that is what just failed.
    absl::Status status = tokens.status();
    if (absl::IsFailedPrecondition(status)) {
      status = absl::PermissionDeniedError(status.message());
    }
    return Fail(error, status);
  }
  {
    absl::MutexLock lock(&mu_);
    tokens_.reset();  // a new grant: forget the old refresh token
  }
  return Fail(error, Accept(*endpoints, *tokens, sink));
}

int32_t OAuth2Instance::Logout(mcpcred_error* error) {
  std::optional<Tokens> tokens;
  {
    absl::MutexLock lock(&mu_);
    tokens.swap(tokens_);
    lost_reason_ = "logged out";
  }
  absl::StatusOr<Endpoints> endpoints = GetEndpoints();
  if (!endpoints.ok()) return Fail(error, endpoints.status());
  TokenStore store = Store(*endpoints);
  SecretString refresh;
  if (tokens.has_value()) refresh = tokens->refresh_token;
  if (refresh.empty()) {
    absl::StatusOr<std::optional<SecretString>> stored = store.RefreshToken();
    if (stored.ok() && stored->has_value()) refresh = **stored;
  }
  SecretString access;
  if (tokens.has_value()) access = tokens->access_token;
  absl::Status revoked = absl::OkStatus();
  if (!refresh.empty() || !access.empty()) {
    absl::StatusOr<ClientAuth> client = GetClient(*endpoints);
    if (client.ok()) {
      revoked =
          Revoke(http_, *endpoints, *client, refresh.view(), "refresh_token");
      absl::Status access_revoked =
          Revoke(http_, *endpoints, *client, access.view(), "access_token");
      if (revoked.ok()) revoked = access_revoked;
    }
  }
  absl::Status deleted = store.DeleteTokens();
  if (!deleted.ok()) return Fail(error, deleted);
  return Fail(error, revoked);
}

const mcpcred_field kFields[] = {
    {"resource", MCPCRED_FIELD_STRING, 0,
     "the MCP server URL; everything else is discovered from it"},
    {"client_id", MCPCRED_FIELD_STRING, 0,
     "a registered client; without it the agent registers itself"},
    {"client_secret", MCPCRED_FIELD_SECRET_REF, 0,
     "for confidential clients: env:, file: or keyring:"},
    {"client_metadata_url", MCPCRED_FIELD_STRING, 0,
     "https URL of this client's metadata document, used as client_id where "
     "the server supports it"},
    {"token_endpoint_auth_method", MCPCRED_FIELD_STRING, 0,
     "none, client_secret_basic, client_secret_post or private_key_jwt "
     "(default: as the server allows)"},
    {"private_key", MCPCRED_FIELD_SECRET_REF, 0,
     "PEM key (EC P-256 or RSA) for private_key_jwt: env:, file: or "
     "keyring:"},
    {"account", MCPCRED_FIELD_STRING, 0,
     "names one of several logins to the same server"},
    {"login_hint", MCPCRED_FIELD_STRING, 0,
     "passed to the authorization server (e.g. the account's e-mail)"},
    {"idp_token_endpoint", MCPCRED_FIELD_STRING, 0,
     "grant id_jag: the identity provider's token endpoint"},
    {"idp_client_id", MCPCRED_FIELD_STRING, 0,
     "grant id_jag: this client at the identity provider"},
    {"idp_client_secret", MCPCRED_FIELD_SECRET_REF, 0,
     "grant id_jag: its secret at the identity provider"},
    {"identity_assertion", MCPCRED_FIELD_SECRET_REF, 0,
     "grant id_jag: the identity assertion (ID token): env:, file: or "
     "keyring:"},
    {"identity_assertion_type", MCPCRED_FIELD_STRING, 0,
     "grant id_jag: id_token (default) or saml2"},
    {"scopes", MCPCRED_FIELD_STRING_ARRAY, 0, "scopes to ask for"},
    {"grant", MCPCRED_FIELD_STRING, 0,
     "authorization_code (default), device_code, client_credentials or "
     "id_jag"},
    {"issuer", MCPCRED_FIELD_STRING, 0,
     "authorization server, if not discovered"},
    {"authorization_endpoint", MCPCRED_FIELD_STRING, 0, "explicit endpoint"},
    {"token_endpoint", MCPCRED_FIELD_STRING, 0, "explicit endpoint"},
    {"device_authorization_endpoint", MCPCRED_FIELD_STRING, 0,
     "explicit endpoint"},
    {"revocation_endpoint", MCPCRED_FIELD_STRING, 0, "explicit endpoint"},
    {"send_resource", MCPCRED_FIELD_BOOLEAN, 0,
     "send the RFC 8707 resource parameter (default true)"},
    {"login_timeout_seconds", MCPCRED_FIELD_INTEGER, 0,
     "how long a browser login may take (default 120)"},
    {"allow_private_network", MCPCRED_FIELD_BOOLEAN, 0,
     "allow endpoints on private network addresses"},
};
const char* const kVariables[] = {"access_token", "token_type"};

const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "oauth2",
    "OAuth 2.1 for MCP servers: discovery, PKCE, device flow, refresh",
    kFields,
    sizeof(kFields) / sizeof(kFields[0]),
    kVariables,
    2,
    MCPCRED_PROVIDER_HAS_LOGIN | MCPCRED_PROVIDER_EXPIRES,
};

const mcpcred_provider_info* Info() { return &kInfo; }

int32_t Create(mcpcred_host_ctx* host, const char* name, const char* json,
               void** instance, mcpcred_error* error) {
  std::string key;
  absl::StatusOr<OAuth2Config> config = ParseOAuth2Config(json, &key);
  if (!config.ok()) return Fail(error, config.status(), key);
  SecretString secret, idp_secret, pem;
  const std::pair<const std::string*, SecretString*> refs[] = {
      {&config->client_secret_ref, &secret},
      {&config->idp_client_secret_ref, &idp_secret},
      {&config->private_key_ref, &pem}};
  const char* const keys[] = {"client_secret", "idp_client_secret",
                              "private_key"};
  for (size_t i = 0; i < 3; ++i) {
    if (refs[i].first->empty()) continue;
    int32_t rc =
        plugin::ResolveSecret(host, *refs[i].first, refs[i].second, error);
    if (rc != MCPCRED_OK) {
      std::strncpy(error->key, keys[i], sizeof(error->key) - 1);
      return rc;
    }
  }
  plugin::PrivateKey private_key;
  if (!pem.empty()) {
    std::string why;
    private_key = plugin::ParsePrivateKeyPem(pem.view(), &why);
    if (private_key != nullptr &&
        plugin::JwsAlgorithm(private_key.get(), &why).empty()) {
      private_key.reset();
    }
    if (private_key == nullptr) {
      return plugin::SetError(error, MCPCRED_ERR_INVALID_CONFIG,
                              "the private_key " + why, "private_key");
    }
  }
  *instance =
      new OAuth2Instance(host, name, *std::move(config), std::move(secret),
                         std::move(private_key), std::move(idp_secret));
  return MCPCRED_OK;
}

void Destroy(void* instance) { delete static_cast<OAuth2Instance*>(instance); }

int32_t FetchFn(void* instance, mcpcred_token_sink* sink,
                mcpcred_error* error) {
  return static_cast<OAuth2Instance*>(instance)->Fetch(sink, error);
}

int32_t LoginFn(void* instance, mcpcred_login_session* session, uint32_t flags,
                mcpcred_token_sink* sink, mcpcred_error* error) {
  return static_cast<OAuth2Instance*>(instance)->Login(session, flags, sink,
                                                       error);
}

int32_t LogoutFn(void* instance, mcpcred_error* error) {
  return static_cast<OAuth2Instance*>(instance)->Logout(error);
}

const mcpcred_dispatch kDispatch[] = {
    MCPCRED_SDK_ENTRY(prov_info, &Info),
    MCPCRED_SDK_ENTRY(prov_create, &Create),
    MCPCRED_SDK_ENTRY(prov_destroy, &Destroy),
    MCPCRED_SDK_ENTRY(prov_fetch, &FetchFn),
    MCPCRED_SDK_ENTRY(prov_login, &LoginFn),
    MCPCRED_SDK_ENTRY(prov_logout, &LogoutFn),
    MCPCRED_DISPATCH_END,
};

}  // namespace
}  // namespace mcpcred::oauth2

MCPCRED_DEFINE_PROVIDER_ENTRY(mcpcred::oauth2::kDispatch)

// What an OAuth credential keeps in the host's secret store, keyed by the
// authorization server's issuer, so re-pointing a credential at another
// server never hands that server the old one's tokens; the tokens of a
// named account are keyed by issuer, client, resource and account, so
// several accounts on one server coexist:
//   "client"         the registered client, JSON {client_id, client_secret,
//                    token_endpoint_auth_method, redirect_port}
//   "refresh_token"  the current refresh token
//   "access_token"   JSON {access_token, expires_at_ms}, so a restart serves
//                    a still-valid token without a needless refresh
#ifndef MCPCRED_PLUGINS_OAUTH2_TOKEN_STORE_H_
#define MCPCRED_PLUGINS_OAUTH2_TOKEN_STORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "mcpcred/common/secret_string.h"
#include "mcpcred/provider.h"

namespace mcpcred::oauth2 {

struct StoredAccessToken {
  SecretString access_token;
  int64_t expires_at_ms = 0;  // 0: no expiry given
};

struct StoredClient {
  std::string client_id;
  SecretString client_secret;
  // As the registration answered it ("" when it did not say).
  std::string token_endpoint_auth_method;
  // The port of the registered loopback redirect URI (0: any port).
  int redirect_port = 0;
};

// Thread-safe (the host store is).
class TokenStore {
 public:
  TokenStore(mcpcred_host_ctx* host, std::string issuer)
      : host_(host), issuer_(std::move(issuer)), login_(issuer_) {}
  // For a named account: tokens under "ISSUER CLIENT_ID RESOURCE ACCOUNT"
  // (the default account keeps the issuer alone, as before accounts).
  TokenStore(mcpcred_host_ctx* host, std::string issuer,
             const std::string& client_id, const std::string& resource,
             const std::string& account)
      : host_(host),
        issuer_(std::move(issuer)),
        login_(account.empty() ? issuer_
                               : issuer_ + " " + client_id + " " + resource +
                                     " " + account) {}

  // nullopt when absent; errors only for a store that fails.
  absl::StatusOr<std::optional<SecretString>> RefreshToken() const;
  absl::Status PutRefreshToken(std::string_view token) const;
  absl::StatusOr<std::optional<StoredAccessToken>> AccessToken() const;
  absl::Status PutAccessToken(const StoredAccessToken& token) const;
  absl::StatusOr<std::optional<StoredClient>> Client() const;
  absl::Status PutClient(const StoredClient& client) const;
  // Deletes the tokens (not the client registration).
  absl::Status DeleteTokens() const;

 private:
  // `scope` is issuer_ for the client, login_ for tokens.
  absl::StatusOr<std::optional<SecretString>> Get(
      const char* kind, const std::string& scope) const;
  absl::Status Put(const char* kind, const std::string& scope,
                   std::string_view value) const;
  absl::Status Delete(const char* kind, const std::string& scope) const;

  mcpcred_host_ctx* host_;
  std::string issuer_;
  std::string login_;
};

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_TOKEN_STORE_H_

#include "plugins/oauth2/token_store.h"

#include <cstring>

#include "nlohmann/json.hpp"
#include "plugins/oauth2/http_calls.h"
#include "plugins/sdk/host.h"

namespace mcpcred::oauth2 {

absl::StatusOr<std::optional<std::string>> TokenStore::Get(
    const char* kind, const std::string& scope) const {
  const auto& h = plugin::host();
  char* value = nullptr;
  size_t len = 0;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = h.store_get(host_, kind, scope.c_str(), &value, &len, &error);
  if (rc == MCPCRED_ERR_NOT_FOUND) return std::optional<std::string>();
  if (rc != MCPCRED_OK) return StatusFor(rc, error);
  std::string out(value, len);
  h.free(host_, value, len);
  return std::optional<std::string>(std::move(out));
}

absl::Status TokenStore::Put(const char* kind, const std::string& scope,
                             const std::string& value) const {
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = plugin::host().store_put(host_, kind, scope.c_str(),
                                        value.data(), value.size(), &error);
  return StatusFor(rc, error);
}

absl::Status TokenStore::Delete(const char* kind,
                                const std::string& scope) const {
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = plugin::host().store_delete(host_, kind, scope.c_str(), &error);
  return StatusFor(rc, error);
}

absl::StatusOr<std::optional<std::string>> TokenStore::RefreshToken() const {
  return Get("refresh_token", login_);
}

absl::Status TokenStore::PutRefreshToken(const std::string& token) const {
  return Put("refresh_token", login_, token);
}

absl::StatusOr<std::optional<StoredAccessToken>> TokenStore::AccessToken()
    const {
  absl::StatusOr<std::optional<std::string>> raw = Get("access_token", login_);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<StoredAccessToken>();
  nlohmann::json j = nlohmann::json::parse(**raw, nullptr, false);
  if (!j.is_object() || !j.contains("access_token") ||
      !j["access_token"].is_string()) {
    return std::optional<StoredAccessToken>();  // unreadable: just refresh
  }
  StoredAccessToken token;
  token.access_token = j["access_token"].get<std::string>();
  token.expires_at_ms = j.value("expires_at_ms", int64_t{0});
  return std::optional<StoredAccessToken>(std::move(token));
}

absl::Status TokenStore::PutAccessToken(const StoredAccessToken& token) const {
  return Put("access_token", login_,
             nlohmann::json{{"access_token", token.access_token},
                            {"expires_at_ms", token.expires_at_ms}}
                 .dump());
}

absl::StatusOr<std::optional<StoredClient>> TokenStore::Client() const {
  absl::StatusOr<std::optional<std::string>> raw = Get("client", issuer_);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<StoredClient>();
  nlohmann::json j = nlohmann::json::parse(**raw, nullptr, false);
  if (!j.is_object() || !j.contains("client_id") ||
      !j["client_id"].is_string()) {
    return std::optional<StoredClient>();  // unreadable: register again
  }
  StoredClient client;
  client.client_id = j["client_id"].get<std::string>();
  client.client_secret = j.value("client_secret", "");
  client.token_endpoint_auth_method = j.value("token_endpoint_auth_method", "");
  client.redirect_port = j.value("redirect_port", 0);
  return std::optional<StoredClient>(std::move(client));
}

absl::Status TokenStore::PutClient(const StoredClient& client) const {
  nlohmann::json j = {{"client_id", client.client_id}};
  if (!client.client_secret.empty()) j["client_secret"] = client.client_secret;
  if (!client.token_endpoint_auth_method.empty()) {
    j["token_endpoint_auth_method"] = client.token_endpoint_auth_method;
  }
  if (client.redirect_port != 0) j["redirect_port"] = client.redirect_port;
  return Put("client", issuer_, j.dump());
}

absl::Status TokenStore::DeleteTokens() const {
  absl::Status a = Delete("refresh_token", login_);
  absl::Status b = Delete("access_token", login_);
  return a.ok() ? b : a;
}

}  // namespace mcpcred::oauth2

#include "plugins/oauth2/token_store.h"

#include <cstring>

#include "nlohmann/json.hpp"
#include "plugins/oauth2/http_calls.h"
#include "plugins/sdk/host.h"
#include "plugins/sdk/wipe_json.h"

namespace mcpcred::oauth2 {

absl::StatusOr<std::optional<SecretString>> TokenStore::Get(
    const char* kind, const std::string& scope) const {
  SecretString value;
  mcpcred_error error;
  std::memset(&error, 0, sizeof(error));
  int32_t rc = plugin::StoreGet(host_, kind, scope, &value, &error);
  if (rc == MCPCRED_ERR_NOT_FOUND) return std::optional<SecretString>();
  if (rc != MCPCRED_OK) return StatusFor(rc, error);
  return std::optional<SecretString>(std::move(value));
}

absl::Status TokenStore::Put(const char* kind, const std::string& scope,
                             std::string_view value) const {
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

absl::StatusOr<std::optional<SecretString>> TokenStore::RefreshToken() const {
  return Get("refresh_token", login_);
}

absl::Status TokenStore::PutRefreshToken(std::string_view token) const {
  return Put("refresh_token", login_, token);
}

absl::StatusOr<std::optional<StoredAccessToken>> TokenStore::AccessToken()
    const {
  absl::StatusOr<std::optional<SecretString>> raw = Get("access_token", login_);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<StoredAccessToken>();
  nlohmann::json j = plugin::ParseJson((*raw)->view());
  plugin::JsonWiper wipe_j(&j);
  if (!j.is_object() || !j.contains("access_token") ||
      !j["access_token"].is_string()) {
    return std::optional<StoredAccessToken>();  // unreadable: just refresh
  }
  StoredAccessToken token;
  token.access_token.assign(j["access_token"].get_ref<const std::string&>());
  token.expires_at_ms = j.value("expires_at_ms", int64_t{0});
  return std::optional<StoredAccessToken>(std::move(token));
}

absl::Status TokenStore::PutAccessToken(const StoredAccessToken& token) const {
  nlohmann::json j = {{"access_token", token.access_token.ToUnwipedString()},
                      {"expires_at_ms", token.expires_at_ms}};
  plugin::JsonWiper wipe_j(&j);
  std::string dumped = j.dump();
  SecretString text = SecretString::TakeFrom(&dumped);
  return Put("access_token", login_, text.view());
}

absl::StatusOr<std::optional<StoredClient>> TokenStore::Client() const {
  absl::StatusOr<std::optional<SecretString>> raw = Get("client", issuer_);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<StoredClient>();
  nlohmann::json j = plugin::ParseJson((*raw)->view());
  plugin::JsonWiper wipe_j(&j);
  if (!j.is_object() || !j.contains("client_id") ||
      !j["client_id"].is_string()) {
    return std::optional<StoredClient>();  // unreadable: register again
  }
  StoredClient client;
  client.client_id = j["client_id"].get<std::string>();
  if (j.contains("client_secret") && j["client_secret"].is_string()) {
    client.client_secret.assign(
        j["client_secret"].get_ref<const std::string&>());
  }
  client.token_endpoint_auth_method = j.value("token_endpoint_auth_method", "");
  client.redirect_port = j.value("redirect_port", 0);
  return std::optional<StoredClient>(std::move(client));
}

absl::Status TokenStore::PutClient(const StoredClient& client) const {
  nlohmann::json j = {{"client_id", client.client_id}};
  plugin::JsonWiper wipe_j(&j);
  if (!client.client_secret.empty()) {
    j["client_secret"] = client.client_secret.ToUnwipedString();
  }
  if (!client.token_endpoint_auth_method.empty()) {
    j["token_endpoint_auth_method"] = client.token_endpoint_auth_method;
  }
  if (client.redirect_port != 0) j["redirect_port"] = client.redirect_port;
  std::string dumped = j.dump();
  SecretString text = SecretString::TakeFrom(&dumped);
  return Put("client", issuer_, text.view());
}

absl::Status TokenStore::DeleteTokens() const {
  absl::Status a = Delete("refresh_token", login_);
  absl::Status b = Delete("access_token", login_);
  return a.ok() ? b : a;
}

}  // namespace mcpcred::oauth2

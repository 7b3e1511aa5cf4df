#include "plugins/sdk/host.h"

#include <algorithm>
#include <cstring>

namespace mcpcred::plugin {
namespace {

Host g_host;

template <typename Fn>
void Resolve(const mcpcred_dispatch* table, int32_t id, Fn* out) {
  for (; table != nullptr && table->id != 0; ++table) {
    if (table->id == id) {
      *out = reinterpret_cast<Fn>(table->function);
      return;
    }
  }
}

}  // namespace

const Host& host() { return g_host; }

int32_t Negotiate(uint32_t host_max_abi, const mcpcred_dispatch* host_table,
                  uint32_t* plugin_abi, const mcpcred_dispatch** out,
                  const mcpcred_dispatch* plugin_table) {
  if (host_max_abi < MCPCRED_ABI_VERSION_1 || plugin_abi == nullptr ||
      out == nullptr) {
    return MCPCRED_ERR_UNSUPPORTED;
  }
  Host h;
  Resolve(host_table, MCPCRED_HOST_LOG, &h.log);
  Resolve(host_table, MCPCRED_HOST_NOW_MS, &h.now_ms);
  Resolve(host_table, MCPCRED_HOST_RESOLVE_SECRET, &h.resolve_secret);
  Resolve(host_table, MCPCRED_HOST_FREE, &h.free);
  Resolve(host_table, MCPCRED_HOST_STORE_GET, &h.store_get);
  Resolve(host_table, MCPCRED_HOST_STORE_PUT, &h.store_put);
  Resolve(host_table, MCPCRED_HOST_STORE_DELETE, &h.store_delete);
  Resolve(host_table, MCPCRED_HOST_TOKEN_SET, &h.token_set);
  Resolve(host_table, MCPCRED_HOST_TOKEN_SET_EXPIRY, &h.token_set_expiry);
  Resolve(host_table, MCPCRED_HOST_HTTP, &h.http);
  Resolve(host_table, MCPCRED_HOST_HTTP_FREE, &h.http_free);
  Resolve(host_table, MCPCRED_HOST_LOGIN_OPEN_URL, &h.login_open_url);
  Resolve(host_table, MCPCRED_HOST_LOGIN_DEVICE_CODE, &h.login_device_code);
  Resolve(host_table, MCPCRED_HOST_LOGIN_CANCELLED, &h.login_cancelled);
  Resolve(host_table, MCPCRED_HOST_LOOPBACK_OPEN, &h.loopback_open);
  Resolve(host_table, MCPCRED_HOST_LOOPBACK_WAIT, &h.loopback_wait);
  Resolve(host_table, MCPCRED_HOST_LOOPBACK_OPEN_PORT, &h.loopback_open_port);
  Resolve(host_table, MCPCRED_HOST_LOOPBACK_WAIT_HELD, &h.loopback_wait_held);
  Resolve(host_table, MCPCRED_HOST_LOOPBACK_REPLY, &h.loopback_reply);
  Resolve(host_table, MCPCRED_HOST_LOGIN_SCOPES, &h.login_scopes);
  if (h.log == nullptr || h.now_ms == nullptr || h.resolve_secret == nullptr ||
      h.free == nullptr || h.store_get == nullptr || h.store_put == nullptr ||
      h.store_delete == nullptr || h.token_set == nullptr ||
      h.token_set_expiry == nullptr) {
    return MCPCRED_ERR_UNSUPPORTED;
  }
  g_host = h;
  *plugin_abi = MCPCRED_ABI_VERSION_1;
  *out = plugin_table;
  return MCPCRED_OK;
}

int32_t SetError(mcpcred_error* error, int32_t code, const std::string& message,
                 const std::string& key) {
  if (error != nullptr) {
    error->code = code;
    // Never split a UTF-8 character: the host puts messages in proto3
    // strings, which must be valid UTF-8.
    size_t n = std::min(message.size(), sizeof(error->message) - 1);
    while (n > 0 && n < message.size() &&
           (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) {
      --n;
    }
    std::memcpy(error->message, message.data(), n);
    error->message[n] = '\0';
    std::strncpy(error->key, key.c_str(), sizeof(error->key) - 1);
    error->key[sizeof(error->key) - 1] = '\0';
  }
  return code;
}

int32_t ResolveSecret(mcpcred_host_ctx* ctx, const std::string& reference,
                      SecretString* value, mcpcred_error* error) {
  char* buffer = nullptr;
  size_t len = 0;
  int32_t rc =
      g_host.resolve_secret(ctx, reference.c_str(), &buffer, &len, error);
  if (rc != MCPCRED_OK) return rc;
  value->assign(buffer, len);
  g_host.free(ctx, buffer, len);
  return MCPCRED_OK;
}

int32_t StoreGet(mcpcred_host_ctx* ctx, const char* kind,
                 const std::string& scope, SecretString* value,
                 mcpcred_error* error) {
  char* buffer = nullptr;
  size_t len = 0;
  int32_t rc = g_host.store_get(ctx, kind, scope.c_str(), &buffer, &len, error);
  if (rc != MCPCRED_OK) return rc;
  value->assign(buffer, len);
  g_host.free(ctx, buffer, len);
  return MCPCRED_OK;
}

int32_t SetVariable(mcpcred_token_sink* sink, const std::string& name,
                    std::string_view value) {
  return g_host.token_set(sink, name.c_str(), value.data(), value.size());
}

std::string HttpResult::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

int32_t Http(mcpcred_host_ctx* ctx, const HttpCall& call, HttpResult* result,
             mcpcred_error* error) {
  if (g_host.http == nullptr || g_host.http_free == nullptr) {
    return SetError(error, MCPCRED_ERR_UNSUPPORTED,
                    "this agent offers no HTTP service: upgrade mcpcred-agent");
  }
  std::vector<mcpcred_http_header> headers;
  headers.reserve(call.headers.size());
  for (const auto& [name, value] : call.headers) {
    headers.push_back({name.c_str(), value.c_str()});
  }
  mcpcred_http_request request;
  std::memset(&request, 0, sizeof(request));
  request.struct_size = sizeof(request);
  request.method = call.method.c_str();
  request.url = call.url.c_str();
  request.headers = headers.data();
  request.header_count = headers.size();
  request.body = call.body.data();
  request.body_len = call.body.size();
  request.timeout_ms = call.timeout_ms;
  request.flags = call.flags;
  mcpcred_http_response* response = nullptr;
  int32_t rc = g_host.http(ctx, &request, &response, error);
  if (rc != MCPCRED_OK) return rc;
  result->status = response->status;
  result->body.assign(response->body, response->body_len);
  result->headers.clear();
  for (size_t i = 0; i < response->header_count; ++i) {
    result->headers.emplace_back(response->headers[i].name,
                                 response->headers[i].value);
  }
  g_host.http_free(ctx, response);
  return MCPCRED_OK;
}

void Log(mcpcred_host_ctx* ctx, mcpcred_log_level level,
         const std::string& message) {
  g_host.log(ctx, level, message.c_str());
}

}  // namespace mcpcred::plugin

#include "mcpcred/provider_sdk.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

namespace mcpcred::plugin {
namespace {

Host g_host;
// The plugin's table with ABI 1 ids, for a host that offers only ABI 1.
std::vector<mcpcred_dispatch> g_v1_table;

// Copies `text` (`len` bytes) into `out` (`size` bytes) with a NUL, cut
// short if need be but never inside a UTF-8 character. Allocates nothing.
void CopyCut(const char* text, size_t len, char* out, size_t size) {
  size_t n = std::min(len, size - 1);
  while (n > 0 && n < len &&
         (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) {
    --n;
  }
  std::memcpy(out, text, n);
  out[n] = '\0';
}

int32_t SetErrorNoAlloc(mcpcred_error* error, int32_t code, const char* message,
                        const char* key) {
  if (error != nullptr) {
    error->code = code;
    CopyCut(message, std::strlen(message), error->message,
            sizeof(error->message));
    CopyCut(key, std::strlen(key), error->key, sizeof(error->key));
  }
  return code;
}

const mcpcred_dispatch* RenumberForV1(const mcpcred_dispatch* table) {
  std::vector<mcpcred_dispatch> v1;
  for (; table != nullptr && table->id != 0; ++table) {
    mcpcred_dispatch entry = *table;
    if (entry.id >= MCPCRED_PROV_ID_FIRST && entry.id <= MCPCRED_PROV_ID_LAST) {
      entry.id -= MCPCRED_PROV_ID_V1_OFFSET;
    }
    v1.push_back(entry);
  }
  v1.push_back({0, nullptr});
  g_v1_table = std::move(v1);  // lives until the plugin unloads
  return g_v1_table.data();
}

}  // namespace

const Host& host() { return g_host; }

int32_t Negotiate(uint32_t host_max_abi, const mcpcred_dispatch* host_table,
                  uint32_t* plugin_abi, const mcpcred_dispatch** out,
                  const mcpcred_dispatch* plugin_table) noexcept {
  if (plugin_abi == nullptr || out == nullptr) return MCPCRED_ERR_UNSUPPORTED;
  if (host_max_abi < MCPCRED_ABI_VERSION_1) {
    *plugin_abi = MCPCRED_ABI_VERSION_1;
    return MCPCRED_ERR_UNSUPPORTED;
  }
  Host h;
  h.log =
      mcpcred_get_host_log(mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOG));
  h.now_ms = mcpcred_get_host_now_ms(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_NOW_MS));
  h.resolve_secret = mcpcred_get_host_resolve_secret(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_RESOLVE_SECRET));
  h.free = mcpcred_get_host_free(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_FREE));
  h.store_get = mcpcred_get_host_store_get(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_STORE_GET));
  h.store_put = mcpcred_get_host_store_put(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_STORE_PUT));
  h.store_delete = mcpcred_get_host_store_delete(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_STORE_DELETE));
  h.token_set = mcpcred_get_host_token_set(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_TOKEN_SET));
  h.token_set_expiry = mcpcred_get_host_token_set_expiry(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_TOKEN_SET_EXPIRY));
  h.http = mcpcred_get_host_http(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_HTTP));
  h.http_free = mcpcred_get_host_http_free(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_HTTP_FREE));
  h.login_open_url = mcpcred_get_host_login_open_url(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOGIN_OPEN_URL));
  h.login_device_code = mcpcred_get_host_login_device_code(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOGIN_DEVICE_CODE));
  h.login_cancelled = mcpcred_get_host_login_cancelled(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOGIN_CANCELLED));
  h.loopback_open = mcpcred_get_host_loopback_open(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOOPBACK_OPEN));
  h.loopback_wait = mcpcred_get_host_loopback_wait(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOOPBACK_WAIT));
  h.loopback_open_port = mcpcred_get_host_loopback_open_port(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOOPBACK_OPEN_PORT));
  h.loopback_wait_held = mcpcred_get_host_loopback_wait_held(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOOPBACK_WAIT_HELD));
  h.loopback_reply = mcpcred_get_host_loopback_reply(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOOPBACK_REPLY));
  h.login_scopes = mcpcred_get_host_login_scopes(
      mcpcred_dispatch_find(host_table, MCPCRED_HOST_LOGIN_SCOPES));
  if (h.log == nullptr || h.now_ms == nullptr || h.resolve_secret == nullptr ||
      h.free == nullptr || h.store_get == nullptr || h.store_put == nullptr ||
      h.store_delete == nullptr || h.token_set == nullptr ||
      h.token_set_expiry == nullptr) {
    *plugin_abi = MCPCRED_ABI_VERSION_1;
    return MCPCRED_ERR_UNSUPPORTED;
  }
  h.abi = host_max_abi >= MCPCRED_ABI_VERSION ? MCPCRED_ABI_VERSION
                                              : MCPCRED_ABI_VERSION_1;
  const mcpcred_dispatch* table = plugin_table;
  if (h.abi == MCPCRED_ABI_VERSION_1) {
    try {
      table = RenumberForV1(plugin_table);
    } catch (const std::bad_alloc&) {
      return MCPCRED_ERR_INTERNAL;
    }
  }
  g_host = h;
  *plugin_abi = h.abi;
  *out = table;
  return MCPCRED_OK;
}

int32_t SetError(mcpcred_error* error, int32_t code, const std::string& message,
                 const std::string& key) {
  if (error != nullptr) {
    error->code = code;
    // Never split a UTF-8 character: the host puts messages in proto3
    // strings, which must be valid UTF-8.
    CopyCut(message.data(), message.size(), error->message,
            sizeof(error->message));
    CopyCut(key.data(), key.size(), error->key, sizeof(error->key));
  }
  return code;
}

int32_t ResolveSecret(mcpcred_host_ctx* ctx, const std::string& reference,
                      std::string* value, mcpcred_error* error) {
  char* buffer = nullptr;
  size_t len = 0;
  int32_t rc =
      g_host.resolve_secret(ctx, reference.c_str(), &buffer, &len, error);
  if (rc != MCPCRED_OK) return rc;
  value->assign(buffer, len);
  g_host.free(ctx, buffer, len);
  return MCPCRED_OK;
}

void WipeString(std::string* s) noexcept {
  // Through a volatile pointer, so that the stores are not elided as dead.
  volatile char* bytes = s->data();
  for (size_t i = 0; i < s->capacity(); ++i) bytes[i] = 0;
  s->clear();
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

void SetExpiry(mcpcred_token_sink* sink, int64_t expires_at_ms) {
  g_host.token_set_expiry(sink, expires_at_ms);
}

void Log(mcpcred_host_ctx* ctx, mcpcred_log_level level,
         const std::string& message) {
  g_host.log(ctx, level, message.c_str());
}

namespace internal {

int32_t ReportException(mcpcred_error* error, Side side) noexcept {
  const char* who = side == Side::kAgent ? "agent" : "provider";
  char message[MCPCRED_ERROR_MESSAGE_MAX];
  try {
    throw;
  } catch (const Error& e) {
    return SetErrorNoAlloc(error, e.code(), e.what(), e.key().c_str());
  } catch (const std::bad_alloc&) {
    std::snprintf(message, sizeof(message), "the %s ran out of memory", who);
  } catch (const std::exception& e) {
    std::snprintf(message, sizeof(message), "the %s failed: %s", who, e.what());
  } catch (...) {
    std::snprintf(message, sizeof(message),
                  "the %s failed with an unknown exception", who);
  }
  return SetErrorNoAlloc(error, MCPCRED_ERR_INTERNAL, message, "");
}

}  // namespace internal
}  // namespace mcpcred::plugin

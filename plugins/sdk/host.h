// The plugin side of the provider ABI: resolves the host's dispatch table once
// and wraps each service in a typed C++ call. Each plugin links its own copy.
#ifndef MCPCRED_PLUGINS_SDK_HOST_H_
#define MCPCRED_PLUGINS_SDK_HOST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mcpcred/common/secret_string.h"
#include "mcpcred/provider.h"

namespace mcpcred::plugin {

// The host services of ABI 1. Filled once by Negotiate(); read-only after.
struct Host {
  mcpcred_host_log_fn log = nullptr;
  mcpcred_host_now_ms_fn now_ms = nullptr;
  mcpcred_host_resolve_secret_fn resolve_secret = nullptr;
  mcpcred_host_free_fn free = nullptr;
  mcpcred_host_store_get_fn store_get = nullptr;
  mcpcred_host_store_put_fn store_put = nullptr;
  mcpcred_host_store_delete_fn store_delete = nullptr;
  mcpcred_host_token_set_fn token_set = nullptr;
  mcpcred_host_token_set_expiry_fn token_set_expiry = nullptr;
  // Optional: null when the host predates them.
  mcpcred_host_http_fn http = nullptr;
  mcpcred_host_http_free_fn http_free = nullptr;
  mcpcred_host_login_open_url_fn login_open_url = nullptr;
  mcpcred_host_login_device_code_fn login_device_code = nullptr;
  mcpcred_host_login_cancelled_fn login_cancelled = nullptr;
  mcpcred_host_loopback_open_fn loopback_open = nullptr;
  mcpcred_host_loopback_wait_fn loopback_wait = nullptr;
  // Later additions: null with an older host.
  mcpcred_host_loopback_open_port_fn loopback_open_port = nullptr;
  mcpcred_host_loopback_wait_held_fn loopback_wait_held = nullptr;
  mcpcred_host_loopback_reply_fn loopback_reply = nullptr;
  mcpcred_host_login_scopes_fn login_scopes = nullptr;

  bool has_login_services() const {
    return login_open_url != nullptr && login_device_code != nullptr &&
           login_cancelled != nullptr && loopback_open != nullptr &&
           loopback_wait != nullptr;
  }
};

const Host& host();

// The body of a plugin's entry point: accepts any host that offers ABI 1 or
// later and provides every service of ABI 1; stores the host table and
// answers `plugin_table`.
int32_t Negotiate(uint32_t host_max_abi, const mcpcred_dispatch* host_table,
                  uint32_t* plugin_abi, const mcpcred_dispatch** out,
                  const mcpcred_dispatch* plugin_table);

// Fills `error` (which may be null) and returns `code`.
int32_t SetError(mcpcred_error* error, int32_t code, const std::string& message,
                 const std::string& key = "");

// Resolves a secret reference through the host into *value (wiping the host
// buffer). Returns the host's code.
int32_t ResolveSecret(mcpcred_host_ctx* ctx, const std::string& reference,
                      SecretString* value, mcpcred_error* error);

// Reads the host store entry (kind, scope) into *value (wiping the host
// buffer). Returns the host's code: MCPCRED_ERR_NOT_FOUND when absent.
int32_t StoreGet(mcpcred_host_ctx* ctx, const char* kind,
                 const std::string& scope, SecretString* value,
                 mcpcred_error* error);

// Reports a template variable of the fetched credential.
int32_t SetVariable(mcpcred_token_sink* sink, const std::string& name,
                    std::string_view value);

// HTTP bodies carry secrets both ways (client secrets and refresh tokens in
// a form, tokens in an answer): a call and a result wipe their body when
// they go (so they are copied, never moved: each copy wipes its own).
struct HttpResult {
  ~HttpResult() { WipeString(&body); }

  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names

  // The first value of header `name` (lower-case), or "".
  std::string Header(const std::string& name) const;
};

struct HttpCall {
  ~HttpCall() { WipeString(&body); }

  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int32_t timeout_ms = 0;
  uint32_t flags = 0;
};

// Performs `call` through the host's HTTP service into *result. Returns the
// host's code; MCPCRED_ERR_UNSUPPORTED if the host offers no HTTP.
int32_t Http(mcpcred_host_ctx* ctx, const HttpCall& call, HttpResult* result,
             mcpcred_error* error);

void Log(mcpcred_host_ctx* ctx, mcpcred_log_level level,
         const std::string& message);

}  // namespace mcpcred::plugin

#endif  // MCPCRED_PLUGINS_SDK_HOST_H_

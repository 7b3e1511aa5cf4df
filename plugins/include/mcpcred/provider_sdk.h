// C++ helpers over the C ABI of mcpcred/provider.h for provider plugins.
//
// The SDK resolves the host's dispatch table once, wraps each host service in
// a typed call, and generates the plugin's table entries so that no C++
// exception crosses the ABI. It needs only the C++ standard library; link it
// statically (target mcpcred::provider_sdk) so that each plugin has its own
// copy of the host table.
//
// A provider written with it:
//
//   int32_t Fetch(void* instance, mcpcred_token_sink* sink,
//                 mcpcred_error* error) {
//     ... throw mcpcred::plugin::Error(MCPCRED_ERR_UNAVAILABLE, "down");
//     return mcpcred::plugin::SetVariable(sink, "secret", value);
//   }
//   const mcpcred_dispatch kDispatch[] = {
//       MCPCRED_SDK_ENTRY(prov_info, &Info),
//       MCPCRED_SDK_ENTRY(prov_create, &Create),
//       MCPCRED_SDK_ENTRY(prov_destroy, &Destroy),
//       MCPCRED_SDK_ENTRY(prov_fetch, &Fetch),
//       MCPCRED_DISPATCH_END,
//   };
//   MCPCRED_DEFINE_PROVIDER_ENTRY(kDispatch)
//
// Thread-safety: host() is written once, by the entry point, before the host
// calls any other plugin function; every function here may then be called
// from any thread.
#ifndef MCPCRED_PROVIDER_SDK_H_
#define MCPCRED_PROVIDER_SDK_H_

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mcpcred/provider.h"

namespace mcpcred::plugin {

// The host services. Filled once by Negotiate(); read-only after.
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
  // The ABI version agreed with the host.
  uint32_t abi = 0;

  bool has_login_services() const {
    return login_open_url != nullptr && login_device_code != nullptr &&
           login_cancelled != nullptr && loopback_open != nullptr &&
           loopback_wait != nullptr;
  }
};

const Host& host();

// The body of a plugin's entry point (see MCPCRED_DEFINE_PROVIDER_ENTRY).
// Answers MCPCRED_ABI_VERSION to a host that offers it or more, and ABI 1 to
// a host that offers only 1, with `plugin_table` renumbered to the ABI 1 ids
// (in storage that lives until the plugin unloads). Fails with
// MCPCRED_ERR_UNSUPPORTED, *plugin_abi set to 1, when the host offers less
// than 1 or lacks a service every version has (log, now_ms, resolve_secret,
// free, the store and the token sink). Unknown host service ids are skipped.
int32_t Negotiate(uint32_t host_max_abi, const mcpcred_dispatch* host_table,
                  uint32_t* plugin_abi, const mcpcred_dispatch** out,
                  const mcpcred_dispatch* plugin_table) noexcept;

// Fills `error` (which may be null) and returns `code`. The message is cut at
// the buffer's size without splitting a UTF-8 character; `key` likewise.
int32_t SetError(mcpcred_error* error, int32_t code, const std::string& message,
                 const std::string& key = "");

// An error a plugin function may throw instead of returning: an entry made
// with MCPCRED_SDK_ENTRY turns it into `code`, `message` and `key`.
class Error : public std::exception {
 public:
  Error(int32_t code, std::string message, std::string key = "")
      : code_(code), message_(std::move(message)), key_(std::move(key)) {}

  int32_t code() const { return code_; }
  const std::string& key() const { return key_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  int32_t code_;
  std::string message_;
  std::string key_;
};

// Zeroes every byte of `*s`'s buffer (its capacity, not only its size) in a
// way the compiler may not drop, then clears it: for a std::string that held
// a secret. The in-tree plugins keep secrets in mcpcred::SecretString instead,
// which does this by itself.
void WipeString(std::string* s) noexcept;

// Resolves a secret reference through the host into *value (wiping the host
// buffer). Returns the host's code.
int32_t ResolveSecret(mcpcred_host_ctx* ctx, const std::string& reference,
                      std::string* value, mcpcred_error* error);

// Reports a template variable of the fetched credential.
int32_t SetVariable(mcpcred_token_sink* sink, const std::string& name,
                    std::string_view value);

// Reports the credential's absolute expiry, in ms since the Unix epoch.
void SetExpiry(mcpcred_token_sink* sink, int64_t expires_at_ms);

// HTTP messages carry secrets both ways (client secrets and refresh tokens
// in a form, an Authorization header, tokens in an answer): a call and a
// result wipe their body and header values when they go (so they are copied,
// never moved: each copy wipes its own).
struct HttpResult {
  HttpResult() = default;
  HttpResult(const HttpResult&) = default;
  HttpResult& operator=(const HttpResult&) = default;
  ~HttpResult() {
    WipeString(&body);
    for (auto& header : headers) WipeString(&header.second);
  }

  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names

  // The first value of header `name` (lower-case), or "".
  std::string Header(const std::string& name) const;
};

struct HttpCall {
  HttpCall() = default;
  HttpCall(const HttpCall&) = default;
  HttpCall& operator=(const HttpCall&) = default;
  ~HttpCall() {
    WipeString(&body);
    for (auto& header : headers) WipeString(&header.second);
  }

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

namespace internal {

// Which side of the ABI a guarded function is on, for the message.
enum class Side { kProvider, kAgent };

// Inside a catch block: fills `error` from the exception being handled and
// returns its code (an Error's own, MCPCRED_ERR_INTERNAL for anything else,
// "the provider failed: what()" or "the agent failed: what()"). Allocates
// nothing.
int32_t ReportException(mcpcred_error* error, Side side) noexcept;

template <typename... Args>
mcpcred_error* ErrorArgument(Args... args) {
  mcpcred_error* found = nullptr;
  (
      [&] {
        if constexpr (std::is_same_v<Args, mcpcred_error*>) found = args;
      }(),
      ...);
  return found;
}

// Guarded<F, fn>::Call has fn's signature and calls it; an exception that
// escapes becomes an error code (functions with an mcpcred_error* argument),
// MCPCRED_ERR_INTERNAL (other int32_t functions), a zero value or nothing.
// The agent guards its host services with it too (Side::kAgent).
template <typename F, F fn, Side side = Side::kProvider>
struct Guarded;

template <typename R, typename... Args, R (*fn)(Args...), Side side>
struct Guarded<R (*)(Args...), fn, side> {
  static R Call(Args... args) noexcept {
    try {
      return fn(args...);
    } catch (...) {
      if constexpr (std::is_same_v<R, int32_t>) {
        return ReportException(ErrorArgument<Args...>(args...), side);
      } else if constexpr (std::is_void_v<R>) {
        return;
      } else {
        return R{};
      }
    }
  }
};

}  // namespace internal
}  // namespace mcpcred::plugin

// A dispatch entry for provider function NAME (as in MCPCRED_MAKE_FUNC) that
// calls `fn` with the exception guard above. Does not compile unless `fn` has
// type mcpcred_NAME_fn.
#define MCPCRED_SDK_ENTRY(name, fn)                                           \
  mcpcred_dispatch {                                                          \
    mcpcred_##name##_id, reinterpret_cast<mcpcred_fn>(                        \
                             &::mcpcred::plugin::internal::Guarded<           \
                                 mcpcred_##name##_fn,                         \
                                 static_cast<mcpcred_##name##_fn>(fn)>::Call) \
  }

// Defines the plugin's exported entry point, answering with `dispatch` (a
// static mcpcred_dispatch table) as Negotiate() says.
#define MCPCRED_DEFINE_PROVIDER_ENTRY(dispatch)                              \
  extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(                  \
      uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,          \
      uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {      \
    return ::mcpcred::plugin::Negotiate(                                     \
        host_max_abi, host_dispatch, plugin_abi, plugin_dispatch, dispatch); \
  }

#endif  // MCPCRED_PROVIDER_SDK_H_

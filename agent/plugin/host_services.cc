#include "agent/plugin/host_services.h"

#include <openssl/crypto.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/http/http_client.h"
#include "agent/plugin/plugin_status.h"
#include "agent/store/secret_ref.h"
#include "agent/util/log.h"
#include "mcpcred/provider_sdk.h"

namespace mcpcred {
namespace {

// A NUL-terminated malloc() copy, for memory that crosses the ABI.
char* CopyString(const std::string& text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

// Hands a copy of `value` to the plugin in a buffer it returns through
// HostFree.
void GiveBuffer(const std::string& value, char** out, size_t* len) {
  *out = CopyString(value);
  if (len != nullptr) *len = value.size();
}

// A secret crosses the ABI in a malloc() buffer (the plugin gives it back
// through HostFree, which wipes it).
void GiveSecret(const SecretString& value, char** out, size_t* len) {
  char* copy = static_cast<char*>(std::malloc(value.size() + 1));
  std::memcpy(copy, value.data(), value.size());
  copy[value.size()] = '\0';
  *out = copy;
  if (len != nullptr) *len = value.size();
}

// A secret that passes through the host (a client secret, a refresh token)
// is masked wherever it shows up later, not only the values handed out.
// `pinned`: a configured secret (resolved reference), kept for good; store
// values (rotating refresh tokens) are bounded.
void Remember(mcpcred_host_ctx* host, const SecretString& value,
              bool pinned = false) {
  if (host->redaction != nullptr) {
    host->redaction->Add(host->credential, {value}, std::nullopt, pinned);
  }
}

void HostLog(mcpcred_host_ctx* host, int32_t level, const char* message) {
  LogLevel lvl = LogLevel::kInfo;
  if (level <= MCPCRED_LOG_DEBUG) lvl = LogLevel::kDebug;
  if (level == MCPCRED_LOG_WARNING) lvl = LogLevel::kWarning;
  if (level >= MCPCRED_LOG_ERROR) lvl = LogLevel::kError;
  std::string text = message != nullptr ? message : "";
  if (host->redaction != nullptr) text = host->redaction->ScrubMessage(text);
  LogLine(lvl, absl::StrCat("credential \"", host->credential, "\": ", text));
}

int64_t HostNowMs(mcpcred_host_ctx* host) {
  return absl::ToUnixMillis(host->clock->Now());
}

int32_t HostResolveSecret(mcpcred_host_ctx* host, const char* reference,
                          char** value, size_t* len, mcpcred_error* error) {
  if (reference == nullptr || value == nullptr) {
    return FillError(error, absl::InvalidArgumentError("null argument"));
  }
  absl::StatusOr<SecretString> resolved =
      ResolveSecretRef(reference, host->store);
  if (!resolved.ok()) return FillError(error, resolved.status());
  Remember(host, *resolved, /*pinned=*/true);
  GiveSecret(*resolved, value, len);
  return MCPCRED_OK;
}

void HostFree(mcpcred_host_ctx* host, char* buffer, size_t len) {
  if (buffer == nullptr) return;
  OPENSSL_cleanse(buffer, len);
  std::free(buffer);
}

StoreKey KeyFor(mcpcred_host_ctx* host, const char* kind, const char* scope) {
  return {host->credential, kind != nullptr ? kind : "",
          scope != nullptr ? scope : ""};
}

int32_t HostStoreGet(mcpcred_host_ctx* host, const char* kind,
                     const char* scope, char** value, size_t* len,
                     mcpcred_error* error) {
  if (host->store == nullptr || value == nullptr) {
    return FillError(error, absl::FailedPreconditionError("no secret store"));
  }
  absl::StatusOr<SecretString> got =
      host->store->Get(KeyFor(host, kind, scope));
  if (!got.ok()) return FillError(error, got.status());
  Remember(host, *got);
  GiveSecret(*got, value, len);
  return MCPCRED_OK;
}

int32_t HostStorePut(mcpcred_host_ctx* host, const char* kind,
                     const char* scope, const char* value, size_t len,
                     mcpcred_error* error) {
  if (host->store == nullptr || value == nullptr) {
    return FillError(error, absl::FailedPreconditionError("no secret store"));
  }
  const SecretString stored(value, len);
  Remember(host, stored);
  return FillError(error, host->store->Put(KeyFor(host, kind, scope), stored));
}

int32_t HostStoreDelete(mcpcred_host_ctx* host, const char* kind,
                        const char* scope, mcpcred_error* error) {
  if (host->store == nullptr) {
    return FillError(error, absl::FailedPreconditionError("no secret store"));
  }
  return FillError(error, host->store->Delete(KeyFor(host, kind, scope)));
}

// Why `name` = `len` bytes may not join the sink, or "" if it may. The
// reason names the variable (cut, as a plugin chooses it) and sizes only.
std::string TokenSetRefusal(const mcpcred_token_sink& sink,
                            const std::string& name, size_t len) {
  const std::string shown = absl::CEscape(name.substr(0, 64));
  if (name.empty() || name.size() > kMaxTokenVariableName) {
    return absl::StrCat(
        "the provider set a variable whose name is empty or "
        "longer than ",
        kMaxTokenVariableName, " bytes");
  }
  if (len > kMaxTokenValueBytes) {
    return absl::StrCat("the provider's value for \"", shown, "\" is ", len,
                        " bytes, more than the ", kMaxTokenValueBytes >> 10,
                        " KiB a value may have");
  }
  auto old = sink.variables.find(name);
  const size_t replaced =
      old == sink.variables.end() ? 0 : name.size() + old->second.size();
  if (old == sink.variables.end() &&
      sink.variables.size() >= kMaxTokenVariables) {
    return absl::StrCat("the provider set more than ", kMaxTokenVariables,
                        " variables");
  }
  if (sink.bytes - replaced + name.size() + len > kMaxTokenBytes) {
    return absl::StrCat("the provider's values add up to more than the ",
                        kMaxTokenBytes >> 20,
                        " MiB a credential may have (at \"", shown, "\")");
  }
  return "";
}

int32_t HostTokenSet(mcpcred_token_sink* sink, const char* name,
                     const char* value, size_t len) {
  if (sink == nullptr || name == nullptr || value == nullptr) {
    return MCPCRED_ERR_INTERNAL;
  }
  const std::string key(name, strnlen(name, kMaxTokenVariableName + 1));
  std::string refusal = TokenSetRefusal(*sink, key, len);
  if (!refusal.empty()) {
    if (sink->refused.empty()) sink->refused = std::move(refusal);
    return MCPCRED_ERR_PERMISSION;
  }
  if (sink->first_variable.empty()) sink->first_variable = key;
  auto it = sink->variables.find(key);
  if (it != sink->variables.end()) {
    sink->bytes -= key.size() + it->second.size();
    it->second.assign(value, len);
  } else {
    sink->variables.emplace(key, SecretString(value, len));
  }
  sink->bytes += key.size() + len;
  return MCPCRED_OK;
}

void HostTokenSetExpiry(mcpcred_token_sink* sink, int64_t expires_at_ms) {
  if (sink != nullptr) sink->expires_at_ms = expires_at_ms;
}

int32_t HostHttp(mcpcred_host_ctx* host, const mcpcred_http_request* request,
                 mcpcred_http_response** response, mcpcred_error* error) {
  if (request == nullptr || response == nullptr ||
      request->struct_size <
          offsetof(mcpcred_http_request, flags) + sizeof(request->flags) ||
      request->method == nullptr || request->url == nullptr) {
    return FillError(error, absl::InvalidArgumentError("malformed request"));
  }
  HttpRequest http;
  http.method = request->method;
  http.url = request->url;
  for (size_t i = 0; i < request->header_count; ++i) {
    const mcpcred_http_header& h = request->headers[i];
    if (h.name == nullptr || h.value == nullptr) continue;
    http.headers.emplace_back(h.name, h.value);
  }
  if (request->body != nullptr)
    http.body.assign(request->body, request->body_len);
  if (request->timeout_ms > 0) {
    http.timeout = absl::Milliseconds(request->timeout_ms);
  }
  http.follow_redirects = (request->flags & MCPCRED_HTTP_FOLLOW_REDIRECTS) != 0;
  http.allow_private = (request->flags & MCPCRED_HTTP_ALLOW_PRIVATE) != 0;
  absl::StatusOr<HttpResponse> got = PerformHttp(http);
  OPENSSL_cleanse(http.body.data(), http.body.size());
  if (!got.ok()) return FillError(error, got.status());

  auto* out = static_cast<mcpcred_http_response*>(
      std::calloc(1, sizeof(mcpcred_http_response)));
  out->struct_size = sizeof(mcpcred_http_response);
  out->status = got->status;
  out->body = CopyString(got->body);
  out->body_len = got->body.size();
  out->header_count = got->headers.size();
  out->headers = static_cast<mcpcred_http_header*>(
      std::calloc(got->headers.size() + 1, sizeof(mcpcred_http_header)));
  for (size_t i = 0; i < got->headers.size(); ++i) {
    out->headers[i].name = CopyString(got->headers[i].first);
    out->headers[i].value = CopyString(got->headers[i].second);
  }
  OPENSSL_cleanse(got->body.data(), got->body.size());
  *response = out;
  return MCPCRED_OK;
}

void HostHttpFree(mcpcred_host_ctx* host, mcpcred_http_response* response) {
  if (response == nullptr) return;
  for (size_t i = 0; i < response->header_count; ++i) {
    std::free(const_cast<char*>(response->headers[i].name));
    std::free(const_cast<char*>(response->headers[i].value));
  }
  std::free(response->headers);
  if (response->body != nullptr) {
    OPENSSL_cleanse(response->body, response->body_len);
    std::free(response->body);
  }
  std::free(response);
}

void HostLoginOpenUrl(mcpcred_login_session* session, const char* url) {
  if (session != nullptr && url != nullptr) session->observer->OnOpenUrl(url);
}

void HostLoginDeviceCode(mcpcred_login_session* session, const char* user_code,
                         const char* verification_uri,
                         const char* verification_uri_complete,
                         int32_t expires_in) {
  if (session == nullptr || user_code == nullptr ||
      verification_uri == nullptr) {
    return;
  }
  session->observer->OnDeviceCode(
      user_code, verification_uri,
      verification_uri_complete != nullptr ? verification_uri_complete : "",
      expires_in);
}

int32_t HostLoginCancelled(mcpcred_login_session* session) {
  return session != nullptr && session->observer->Cancelled() ? 1 : 0;
}

int32_t HostLoopbackOpen(mcpcred_login_session* session, int32_t* port,
                         mcpcred_error* error) {
  if (session == nullptr || port == nullptr) {
    return FillError(error, absl::InvalidArgumentError("no login session"));
  }
  absl::StatusOr<int> opened = session->listener.Open();
  if (!opened.ok()) return FillError(error, opened.status());
  *port = *opened;
  return MCPCRED_OK;
}

// The loopback waits: `hold` keeps the browser waiting for the verdict.
int32_t LoopbackWait(mcpcred_login_session* session, const char* path,
                     int32_t timeout_ms, bool hold, char** query, size_t* len,
                     mcpcred_error* error) {
  if (session == nullptr || path == nullptr || query == nullptr) {
    return FillError(error, absl::InvalidArgumentError("no login session"));
  }
  absl::StatusOr<std::string> got = session->listener.WaitForCallback(
      path, absl::Milliseconds(timeout_ms),
      [session] { return session->observer->Cancelled(); }, hold);
  if (!got.ok()) return FillError(error, got.status());
  GiveBuffer(*got, query, len);
  return MCPCRED_OK;
}

int32_t HostLoopbackWait(mcpcred_login_session* session, const char* path,
                         int32_t timeout_ms, char** query, size_t* len,
                         mcpcred_error* error) {
  return LoopbackWait(session, path, timeout_ms, /*hold=*/false, query, len,
                      error);
}

int32_t HostLoopbackOpenPort(mcpcred_login_session* session,
                             int32_t preferred_port, int32_t* port,
                             mcpcred_error* error) {
  if (session == nullptr || port == nullptr) {
    return FillError(error, absl::InvalidArgumentError("no login session"));
  }
  absl::StatusOr<int> opened = session->listener.Open(preferred_port);
  if (!opened.ok()) return FillError(error, opened.status());
  *port = *opened;
  return MCPCRED_OK;
}

int32_t HostLoopbackWaitHeld(mcpcred_login_session* session, const char* path,
                             int32_t timeout_ms, char** query, size_t* len,
                             mcpcred_error* error) {
  return LoopbackWait(session, path, timeout_ms, /*hold=*/true, query, len,
                      error);
}

void HostLoopbackReply(mcpcred_login_session* session, int32_t ok,
                       const char* message) {
  if (session == nullptr) return;
  session->listener.Reply(ok != 0, message != nullptr ? message : "");
}

int32_t HostLoginScopes(mcpcred_login_session* session, char** scopes,
                        size_t* len) {
  if (session == nullptr || scopes == nullptr) return MCPCRED_ERR_INTERNAL;
  GiveBuffer(absl::StrJoin(session->observer->Scopes(), " "), scopes, len);
  return MCPCRED_OK;
}

}  // namespace

// {id, fn} for host service NAME, with fn run in a catch-all: no exception
// of the agent's reaches the plugin (which may be C); one becomes
// MCPCRED_ERR_INTERNAL, "the agent failed: ...".
#define MCPCRED_HOST_ENTRY(name, fn)                                          \
  mcpcred_dispatch {                                                          \
    mcpcred_##name##_id,                                                      \
        reinterpret_cast<mcpcred_fn>(                                         \
            &plugin::internal::Guarded<mcpcred_##name##_fn, fn,               \
                                       plugin::internal::Side::kAgent>::Call) \
  }

const mcpcred_dispatch* HostDispatch() {
  static const mcpcred_dispatch kTable[] = {
      MCPCRED_HOST_ENTRY(host_log, &HostLog),
      MCPCRED_HOST_ENTRY(host_now_ms, &HostNowMs),
      MCPCRED_HOST_ENTRY(host_resolve_secret, &HostResolveSecret),
      MCPCRED_HOST_ENTRY(host_free, &HostFree),
      MCPCRED_HOST_ENTRY(host_store_get, &HostStoreGet),
      MCPCRED_HOST_ENTRY(host_store_put, &HostStorePut),
      MCPCRED_HOST_ENTRY(host_store_delete, &HostStoreDelete),
      MCPCRED_HOST_ENTRY(host_token_set, &HostTokenSet),
      MCPCRED_HOST_ENTRY(host_token_set_expiry, &HostTokenSetExpiry),
      MCPCRED_HOST_ENTRY(host_http, &HostHttp),
      MCPCRED_HOST_ENTRY(host_http_free, &HostHttpFree),
      MCPCRED_HOST_ENTRY(host_login_open_url, &HostLoginOpenUrl),
      MCPCRED_HOST_ENTRY(host_login_device_code, &HostLoginDeviceCode),
      MCPCRED_HOST_ENTRY(host_login_cancelled, &HostLoginCancelled),
      MCPCRED_HOST_ENTRY(host_loopback_open, &HostLoopbackOpen),
      MCPCRED_HOST_ENTRY(host_loopback_wait, &HostLoopbackWait),
      MCPCRED_HOST_ENTRY(host_loopback_open_port, &HostLoopbackOpenPort),
      MCPCRED_HOST_ENTRY(host_loopback_wait_held, &HostLoopbackWaitHeld),
      MCPCRED_HOST_ENTRY(host_loopback_reply, &HostLoopbackReply),
      MCPCRED_HOST_ENTRY(host_login_scopes, &HostLoginScopes),
      MCPCRED_DISPATCH_END,
  };
  return kTable;
}

}  // namespace mcpcred

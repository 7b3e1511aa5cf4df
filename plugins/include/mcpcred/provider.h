/*
 * mcpcred provider ABI: the only header a provider plugin needs.
 *
 * A provider is a shared object that exports one symbol,
 * MCPCRED_PROVIDER_ENTRY. The agent (the host) calls it once after dlopen():
 *
 *   - Version negotiation (as in Cyrus SASL): the host offers the highest ABI
 *     version it implements; the plugin answers the version it implements,
 *     which must be <= the offer, or fails.
 *   - Dispatch tables (as in OpenSSL 3 providers): the host passes a table of
 *     the services it offers; the plugin returns a table of its own
 *     functions. Each table is an array of {id, function} ending with
 *     {0, NULL}. Either side skips ids it does not know, so new services and
 *     functions are added without breaking plugins built against an older
 *     header. Each function is declared once, with MCPCRED_MAKE_FUNC, which
 *     gives its pointer type, a typed extractor and a typed entry maker.
 *   - Structs are append-only (as in SQLite): a struct that may grow starts
 *     with its size, and a reader never looks past the size it was given.
 *
 * Rules: every call carries a context pointer; memory is freed by whoever
 * allocated it (a plugin never frees host memory and vice versa); no C++ type
 * or exception crosses this boundary; strings are NUL-terminated UTF-8 unless a
 * length is given. Plugins should build with -fvisibility=hidden and export
 * only the entry point (MCPCRED_EXPORT).
 *
 * Thread-safety: the host may call functions on different instances
 * concurrently. On one instance it never runs two fetches, two logins or two
 * logouts at once, but a login (which waits for a person) may run while a
 * fetch or logout does: the plugin guards its own state. Host services may be
 * called from any thread during a plugin call.
 *
 * Versions:
 *   1  the first ABI. Host service ids and provider function ids both started
 *      at 1, so the two kinds of table shared one id space. Functions were
 *      added without a version change (either side skips unknown ids): host
 *      services 17..20 (preferred loopback port, held redirect page, login
 *      scopes) and the provider's stop() (id 8).
 *   2  separate id ranges (see "Function ids" below): provider function ids
 *      moved to 1001..1999, host service ids stay 1..999 with their values.
 *      No struct changed. A host that implements 2 still loads plugins that
 *      answer 1: it reads their table with the ABI 1 ids
 *      (MCPCRED_PROV_ID_V1_OFFSET lower). The C++ SDK answers 1 to a host
 *      that offers only 1, with its table renumbered. Host service ids did
 *      not change, so the host table is the same for both versions.
 *
 * See docs/PLUGINS.md for the life cycle, ownership and how to test a plugin.
 */
#ifndef MCPCRED_PROVIDER_H_
#define MCPCRED_PROVIDER_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MCPCRED_ABI_VERSION_1 1u
#define MCPCRED_ABI_VERSION_2 2u
/* The highest ABI version this header describes. */
#define MCPCRED_ABI_VERSION MCPCRED_ABI_VERSION_2

#define MCPCRED_EXPORT __attribute__((visibility("default")))

/* ---------------------------------------------------------------- status codes
 */

/* Result codes; they map onto gRPC codes at the agent's edge. */
typedef enum mcpcred_code {
  MCPCRED_OK = 0,
  MCPCRED_ERR_INVALID_CONFIG = 1, /* configuration is wrong; names a key */
  MCPCRED_ERR_NOT_FOUND = 2,      /* a referenced secret or entry is missing */
  MCPCRED_ERR_LOGIN_REQUIRED = 3, /* the user must run `mcpcred login` */
  MCPCRED_ERR_UNAVAILABLE = 4,    /* upstream down or slow; retry later */
  MCPCRED_ERR_PERMISSION = 5,     /* refused by policy (file modes, ...) */
  MCPCRED_ERR_UNSUPPORTED = 6,    /* the provider does not do that */
  MCPCRED_ERR_INTERNAL = 7,
  MCPCRED_ERR_CANCELLED = 8
} mcpcred_code;

#define MCPCRED_ERROR_MESSAGE_MAX 512
#define MCPCRED_ERROR_KEY_MAX 64

/* Filled by the callee on failure; owned (and zeroed) by the caller. `message`
 * is one line a person can act on and never contains a secret value. `key`
 * optionally names the offending config key, so the host can point at its line.
 */
typedef struct mcpcred_error {
  int32_t code; /* mcpcred_code */
  char message[MCPCRED_ERROR_MESSAGE_MAX];
  char key[MCPCRED_ERROR_KEY_MAX];
} mcpcred_error;

/* ------------------------------------------------------------ dispatch tables
 */

typedef void (*mcpcred_fn)(void);

typedef struct mcpcred_dispatch {
  int32_t id; /* 0 terminates the table */
  mcpcred_fn function;
} mcpcred_dispatch;

/* Function ids (ABI 2). Host service ids and provider function ids lie in
 * separate ranges, so that an id says which side's table it belongs in and a
 * table passed the wrong way is caught: the host refuses a provider table
 * holding a host service id. Ids are never reused; a table may hold ids the
 * reader does not know (newer functions), which it skips. */
#define MCPCRED_HOST_ID_FIRST 1
#define MCPCRED_HOST_ID_LAST 999
#define MCPCRED_PROV_ID_FIRST 1001
#define MCPCRED_PROV_ID_LAST 1999
/* ABI 1 numbered provider functions from 1: its id = the ABI 2 id - offset. */
#define MCPCRED_PROV_ID_V1_OFFSET 1000

/* The entry of `table` with id `id`, or NULL. */
static inline const mcpcred_dispatch* mcpcred_dispatch_find(
    const mcpcred_dispatch* table, int32_t id) {
  for (; table != NULL && table->id != 0; ++table) {
    if (table->id == id) return table;
  }
  return NULL;
}

/* MCPCRED_MAKE_FUNC(id, type, name, args) declares function `id` once (as
 * OpenSSL's OSSL_CORE_MAKE_FUNC does) and generates from it:
 *   mcpcred_NAME_fn          the function's pointer type, `type (*) args`;
 *   mcpcred_NAME_id          the id, as an enum constant;
 *   mcpcred_get_NAME(entry)  the entry's function with its type, or NULL when
 *                            `entry` is NULL or holds another id;
 *   mcpcred_make_NAME(fn)    a dispatch entry {id, fn} built at run time.
 * MCPCRED_ENTRY(NAME, fn) makes the entry in a static table initializer and
 * does not compile unless `fn` has type mcpcred_NAME_fn. */
#define MCPCRED_MAKE_FUNC(fid, type, name, args)                               \
  typedef type(*mcpcred_##name##_fn) args;                                     \
  enum { mcpcred_##name##_id = (fid) };                                        \
  static inline mcpcred_##name##_fn mcpcred_get_##name(                        \
      const mcpcred_dispatch* entry) {                                         \
    return entry != NULL && entry->id == (fid)                                 \
               ? (mcpcred_##name##_fn)entry->function                          \
               : NULL;                                                         \
  }                                                                            \
  static inline mcpcred_dispatch mcpcred_make_##name(mcpcred_##name##_fn fn) { \
    mcpcred_dispatch entry;                                                    \
    entry.id = (fid);                                                          \
    entry.function = (mcpcred_fn)fn;                                           \
    return entry;                                                              \
  }

/* {id, fn} for a static table; the conditional is never evaluated at run time
 * but makes the compiler check fn's type against mcpcred_NAME_fn. */
#define MCPCRED_ENTRY(name, fn) \
  { mcpcred_##name##_id, (mcpcred_fn)(1 ? (fn) : (mcpcred_##name##_fn)0) }
/* The {0, NULL} that ends every table. */
#define MCPCRED_DISPATCH_END \
  { 0, NULL }

/* ------------------------------------------------------------- host services
 */

/* Opaque host context, one per provider instance (per credential). */
typedef struct mcpcred_host_ctx mcpcred_host_ctx;
/* Opaque result builder handed to fetch(). */
typedef struct mcpcred_token_sink mcpcred_token_sink;

typedef enum mcpcred_log_level {
  MCPCRED_LOG_DEBUG = 0,
  MCPCRED_LOG_INFO = 1,
  MCPCRED_LOG_WARNING = 2,
  MCPCRED_LOG_ERROR = 3
} mcpcred_log_level;

/* Host service ids (MCPCRED_HOST_ID_FIRST..MCPCRED_HOST_ID_LAST; the same in
 * ABI 1 and 2). */
#define MCPCRED_HOST_LOG 1
#define MCPCRED_HOST_NOW_MS 2
#define MCPCRED_HOST_RESOLVE_SECRET 3
#define MCPCRED_HOST_FREE 4
#define MCPCRED_HOST_STORE_GET 5
#define MCPCRED_HOST_STORE_PUT 6
#define MCPCRED_HOST_STORE_DELETE 7
#define MCPCRED_HOST_TOKEN_SET 8
#define MCPCRED_HOST_TOKEN_SET_EXPIRY 9
#define MCPCRED_HOST_HTTP 10
#define MCPCRED_HOST_HTTP_FREE 11
#define MCPCRED_HOST_LOGIN_OPEN_URL 12
#define MCPCRED_HOST_LOGIN_DEVICE_CODE 13
#define MCPCRED_HOST_LOGIN_CANCELLED 14
#define MCPCRED_HOST_LOOPBACK_OPEN 15
#define MCPCRED_HOST_LOOPBACK_WAIT 16
#define MCPCRED_HOST_LOOPBACK_OPEN_PORT 17
#define MCPCRED_HOST_LOOPBACK_WAIT_HELD 18
#define MCPCRED_HOST_LOOPBACK_REPLY 19
#define MCPCRED_HOST_LOGIN_SCOPES 20

/* Opaque host state of one running login. */
typedef struct mcpcred_login_session mcpcred_login_session;

/* clang-format off */
/* Logs one line under the instance's credential name. `message` must not hold a
 * secret value. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOG, void, host_log,
                  (mcpcred_host_ctx* host, int32_t level, const char* message))
/* Wall-clock time in milliseconds since the Unix epoch (replaceable in tests).
 */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_NOW_MS, int64_t, host_now_ms,
                  (mcpcred_host_ctx* host))
/* Resolves a secret reference ("env:VAR", "file:PATH", "keyring:NAME") to its
 * value. On success stores a host-allocated buffer in *value (NUL-terminated,
 * length in *len) that the plugin must release with MCPCRED_HOST_FREE. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_RESOLVE_SECRET, int32_t, host_resolve_secret,
                  (mcpcred_host_ctx* host, const char* reference, char** value,
                   size_t* len, mcpcred_error* error))
/* Releases a buffer the host allocated; wipes it first. NULL is a no-op. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_FREE, void, host_free,
                  (mcpcred_host_ctx* host, char* buffer, size_t len))
/* The host's secret store, namespaced by the instance's credential name. `kind`
 * says what an entry is ("secret", "refresh_token", "client"), `scope` the
 * server it belongs to (origin or issuer; "" if none). get: NOT_FOUND when
 * absent; the value is host-allocated as for resolve_secret. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_STORE_GET, int32_t, host_store_get,
                  (mcpcred_host_ctx* host, const char* kind, const char* scope,
                   char** value, size_t* len, mcpcred_error* error))
MCPCRED_MAKE_FUNC(MCPCRED_HOST_STORE_PUT, int32_t, host_store_put,
                  (mcpcred_host_ctx* host, const char* kind, const char* scope,
                   const char* value, size_t len, mcpcred_error* error))
/* Deleting an absent entry succeeds. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_STORE_DELETE, int32_t, host_store_delete,
                  (mcpcred_host_ctx* host, const char* kind, const char* scope,
                   mcpcred_error* error))
/* Sets a template variable of the fetched credential ("secret",
 * "access_token", ...); the host copies the value. The first variable set is
 * the credential's primary token unless "token" is set explicitly. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_TOKEN_SET, int32_t, host_token_set,
                  (mcpcred_token_sink* sink, const char* name,
                   const char* value, size_t len))
/* Sets the absolute expiry (ms since the epoch). Not calling it means the
 * credential never expires. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_TOKEN_SET_EXPIRY, void, host_token_set_expiry,
                  (mcpcred_token_sink* sink, int64_t expires_at_ms))

/* HTTP through the host (libcurl), with the agent's policy: TLS verification
 * always on; only http and https; plain http only to loopback addresses;
 * no connection to private, link-local, multicast or unspecified addresses
 * unless the request allows private ones; redirects not followed unless
 * asked; the response body capped at 1 MiB. */
typedef struct mcpcred_http_header {
  const char* name;
  const char* value;
} mcpcred_http_header;

#define MCPCRED_HTTP_FOLLOW_REDIRECTS 0x1u /* at most 5, same policy */
#define MCPCRED_HTTP_ALLOW_PRIVATE 0x2u    /* RFC 1918, ULA, link-local */

typedef struct mcpcred_http_request {
  size_t struct_size; /* sizeof(mcpcred_http_request) at build time */
  const char* method; /* "GET", "POST", ... */
  const char* url;
  const mcpcred_http_header* headers;
  size_t header_count;
  const char* body; /* may be NULL */
  size_t body_len;
  int32_t timeout_ms; /* whole request; 0: the host's default (15 s) */
  uint32_t flags;     /* MCPCRED_HTTP_* */
} mcpcred_http_request;

/* Allocated by the host; release with MCPCRED_HOST_HTTP_FREE. Header names
 * are lower-cased; a header received twice appears twice. */
typedef struct mcpcred_http_response {
  size_t struct_size;
  int32_t status; /* HTTP status code */
  char* body;     /* NUL-terminated; body_len excludes the NUL */
  size_t body_len;
  mcpcred_http_header* headers;
  size_t header_count;
} mcpcred_http_response;

/* Performs the request. Returns MCPCRED_OK with *response set for any HTTP
 * status (a 500 is a response, not an error); MCPCRED_ERR_UNAVAILABLE for
 * network failures and timeouts; MCPCRED_ERR_PERMISSION when the policy
 * refuses the URL or address; MCPCRED_ERR_INVALID_CONFIG for a bad URL. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_HTTP, int32_t, host_http,
                  (mcpcred_host_ctx* host, const mcpcred_http_request* request,
                   mcpcred_http_response** response, mcpcred_error* error))
MCPCRED_MAKE_FUNC(MCPCRED_HOST_HTTP_FREE, void, host_http_free,
                  (mcpcred_host_ctx* host, mcpcred_http_response* response))

/* Login events, shown to the person by `mcpcred login`. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOGIN_OPEN_URL, void, host_login_open_url,
                  (mcpcred_login_session* session, const char* url))
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOGIN_DEVICE_CODE, void, host_login_device_code,
                  (mcpcred_login_session* session, const char* user_code,
                   const char* verification_uri,
                   const char* verification_uri_complete, int32_t expires_in))
/* Non-zero once the person cancelled the login (Ctrl-C) or the agent stops. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOGIN_CANCELLED, int32_t, host_login_cancelled,
                  (mcpcred_login_session* session))
/* Binds the session's loopback redirect listener on 127.0.0.1 with an
 * ephemeral port, once; later calls return the same port. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOOPBACK_OPEN, int32_t, host_loopback_open,
                  (mcpcred_login_session* session, int32_t* port,
                   mcpcred_error* error))
/* Waits for the browser's GET on `path` (e.g. "/callback") at the listener,
 * answers it with a short page saying the window can be closed, and returns
 * the request's query string (host-allocated, released with
 * MCPCRED_HOST_FREE). Requests for other paths get 404 and the wait goes on.
 * UNAVAILABLE after `timeout_ms`, CANCELLED when the login is cancelled. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOOPBACK_WAIT, int32_t, host_loopback_wait,
                  (mcpcred_login_session* session, const char* path,
                   int32_t timeout_ms, char** query, size_t* len,
                   mcpcred_error* error))

/* Later additions (a host may lack them: check before use). */

/* As MCPCRED_HOST_LOOPBACK_OPEN, but binds `preferred_port` when it is free
 * (some servers match the registered redirect URI exactly, port included),
 * else an ephemeral port; *port says which. 0 prefers nothing. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOOPBACK_OPEN_PORT, int32_t,
                  host_loopback_open_port,
                  (mcpcred_login_session* session, int32_t preferred_port,
                   int32_t* port, mcpcred_error* error))
/* As MCPCRED_HOST_LOOPBACK_WAIT, but the browser's request is held open
 * until MCPCRED_HOST_LOOPBACK_REPLY answers it, so the page can tell the
 * person how the login ended. A held request not replied to by the end of
 * the login gets a page saying the outcome is unknown. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOOPBACK_WAIT_HELD, int32_t,
                  host_loopback_wait_held,
                  (mcpcred_login_session* session, const char* path,
                   int32_t timeout_ms, char** query, size_t* len,
                   mcpcred_error* error))
/* Answers the held browser request: a success page when `ok`, else a page
 * giving `message` (one line, no secret) as the reason. No-op when none is
 * held. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOOPBACK_REPLY, void, host_loopback_reply,
                  (mcpcred_login_session* session, int32_t ok,
                   const char* message))
/* The extra scopes the person asked this login for (`mcpcred login --scope`,
 * a step-up), space-separated, host-allocated (release with
 * MCPCRED_HOST_FREE); "" when none. */
MCPCRED_MAKE_FUNC(MCPCRED_HOST_LOGIN_SCOPES, int32_t, host_login_scopes,
                  (mcpcred_login_session* session, char** scopes, size_t* len))

/* clang-format on */

/* ------------------------------------------------------ provider description
 */

typedef enum mcpcred_field_type {
  MCPCRED_FIELD_STRING = 1,
  /* A reference to a secret: "env:VAR", "file:PATH" or "keyring:NAME". The host
   * refuses a literal value here. */
  MCPCRED_FIELD_SECRET_REF = 2,
  MCPCRED_FIELD_INTEGER = 3,
  MCPCRED_FIELD_BOOLEAN = 4,
  MCPCRED_FIELD_STRING_ARRAY = 5,
  MCPCRED_FIELD_STRING_TABLE = 6 /* { key = "value", ... } */
} mcpcred_field_type;

typedef struct mcpcred_field {
  const char* name;
  int32_t type;     /* mcpcred_field_type */
  int32_t required; /* non-zero: the key must be present */
  const char* help; /* one line, shown in config errors */
} mcpcred_field;

#define MCPCRED_PROVIDER_HAS_LOGIN 0x1u
#define MCPCRED_PROVIDER_EXPIRES 0x2u

/* Static description of a provider. The host validates each credential's config
 * against `fields` (types, unknown and missing keys, with file and line) before
 * create() sees it; templates may name only `variables`. */
typedef struct mcpcred_provider_info {
  size_t struct_size; /* sizeof(mcpcred_provider_info) at build time */
  const char* name;   /* as written in `provider = "..."` */
  const char* description;
  const mcpcred_field* fields;
  size_t field_count;
  const char* const* variables; /* template variables fetch() sets */
  size_t variable_count;
  uint32_t flags; /* MCPCRED_PROVIDER_* */
} mcpcred_provider_info;

/* --------------------------------------------------------- plugin functions */

/* Plugin function ids (ABI 2: MCPCRED_PROV_ID_FIRST..MCPCRED_PROV_ID_LAST; an
 * ABI 1 table holds each id minus MCPCRED_PROV_ID_V1_OFFSET). */
#define MCPCRED_PROV_INFO 1001
#define MCPCRED_PROV_CREATE 1002
#define MCPCRED_PROV_DESTROY 1003
#define MCPCRED_PROV_FETCH 1004
#define MCPCRED_PROV_TEARDOWN 1005
#define MCPCRED_PROV_LOGIN 1006
#define MCPCRED_PROV_LOGOUT 1007
#define MCPCRED_PROV_STOP 1008

/* Login flags. */
#define MCPCRED_LOGIN_PREFER_DEVICE 0x1u

/* clang-format off */
/* Returns the provider's static description; valid until the plugin unloads. */
MCPCRED_MAKE_FUNC(MCPCRED_PROV_INFO, const mcpcred_provider_info*, prov_info,
                  (void))
/* Creates an instance for one credential. `config_json` is a JSON object of the
 * credential's provider keys, already checked against `fields`. Returns
 * MCPCRED_OK and sets *instance, or an error (naming error->key when a key is
 * at fault). `host` stays valid until destroy(). */
MCPCRED_MAKE_FUNC(MCPCRED_PROV_CREATE, int32_t, prov_create,
                  (mcpcred_host_ctx* host, const char* credential_name,
                   const char* config_json, void** instance,
                   mcpcred_error* error))
MCPCRED_MAKE_FUNC(MCPCRED_PROV_DESTROY, void, prov_destroy, (void* instance))
/* Acquires a fresh credential (may block on I/O; never called on a network
 * thread) and reports it through the sink's host services. */
MCPCRED_MAKE_FUNC(MCPCRED_PROV_FETCH, int32_t, prov_fetch,
                  (void* instance, mcpcred_token_sink* sink,
                   mcpcred_error* error))
/* Called once before dlclose(). Optional. */
MCPCRED_MAKE_FUNC(MCPCRED_PROV_TEARDOWN, void, prov_teardown, (void))
/* The agent is stopping. Optional; called once, from any thread, possibly
 * while fetch() or login() run on others: end what they wait for (kill the
 * processes they started, ...) so that they return soon, and start nothing
 * new. Instances are destroyed and teardown() called later as usual. */
MCPCRED_MAKE_FUNC(MCPCRED_PROV_STOP, void, prov_stop, (void))
/* Runs an interactive login (required with MCPCRED_PROVIDER_HAS_LOGIN). May
 * block for minutes; reports progress through the session's host services
 * and, on success, the fresh credential through `sink` as fetch() does. */
MCPCRED_MAKE_FUNC(MCPCRED_PROV_LOGIN, int32_t, prov_login,
                  (void* instance, mcpcred_login_session* session,
                   uint32_t flags, mcpcred_token_sink* sink,
                   mcpcred_error* error))
/* Forgets the login: revokes what the server lets it revoke and deletes what
 * it stored. Idempotent. */
MCPCRED_MAKE_FUNC(MCPCRED_PROV_LOGOUT, int32_t, prov_logout,
                  (void* instance, mcpcred_error* error))

/* clang-format on */

/* ---------------------------------------------------------------- entry point
 */

#define MCPCRED_PROVIDER_ENTRY_SYMBOL "mcpcred_provider_entry"

/* The one exported symbol. `host_max_abi` is the highest version the host
 * implements; the plugin stores its own in *plugin_abi (<= host_max_abi) and
 * its function table in *plugin_dispatch (static storage, valid until
 * dlclose()). Returns MCPCRED_OK, or MCPCRED_ERR_UNSUPPORTED when it cannot
 * work with that host; then it may store in *plugin_abi the lowest version it
 * needs, so that the host can say "upgrade the agent" rather than "rebuild the
 * plugin". A plugin that answers a version above the offer is refused. */
typedef int32_t (*mcpcred_provider_entry_fn)(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCPCRED_PROVIDER_H_ */

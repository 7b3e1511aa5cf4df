/* An mcpcred provider in plain C, needing only <mcpcred/provider.h>: "env"
 * hands out a variable of the agent's environment (docs/PLUGINS.md).
 *
 *   [credential.example]
 *   provider = "env"
 *   variable = "EXAMPLE_TOKEN"
 */
#include <mcpcred/provider.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mcpcred_host_token_set_fn token_set; /* written once, by the entry */

static const mcpcred_field kFields[] = {
    {"variable", MCPCRED_FIELD_STRING, 1, "the variable to hand out"}};
static const char* const kVariables[] = {"secret"};
static const mcpcred_provider_info kInfo = {
    .struct_size = sizeof(mcpcred_provider_info),
    .name = "env",
    .description = "a variable of the agent's environment",
    .fields = kFields,
    .field_count = 1,
    .variables = kVariables,
    .variable_count = 1};

static int32_t Fail(mcpcred_error* error, int32_t code, const char* message) {
  snprintf(error->message, sizeof error->message, "%s", message);
  snprintf(error->key, sizeof error->key, "variable");
  return error->code = code;
}

static const mcpcred_provider_info* Info(void) { return &kInfo; }

/* The host checked the config against kFields: it is {"variable":"NAME"}. */
static int32_t Create(mcpcred_host_ctx* host, const char* credential_name,
                      const char* config_json, void** instance,
                      mcpcred_error* error) {
  static const char kKey[] = "\"variable\":\"";
  const char* start = strstr(config_json, kKey);
  const char* end =
      start != NULL ? strchr(start += sizeof kKey - 1, '"') : NULL;
  size_t len = end != NULL ? (size_t)(end - start) : 0;
  (void)host, (void)credential_name;
  if (len == 0 || memchr(start, '\\', len) != NULL) {
    return Fail(error, MCPCRED_ERR_INVALID_CONFIG, "bad \"variable\"");
  }
  if ((*instance = calloc(len + 1, 1)) == NULL) {
    return Fail(error, MCPCRED_ERR_INTERNAL, "out of memory");
  }
  memcpy(*instance, start, len);
  return MCPCRED_OK;
}

static void Destroy(void* instance) { free(instance); }

static int32_t Fetch(void* instance, mcpcred_token_sink* sink,
                     mcpcred_error* error) {
  const char* value = getenv((const char*)instance);
  if (value == NULL || value[0] == '\0') {
    return Fail(error, MCPCRED_ERR_NOT_FOUND, "the variable is not set");
  }
  return token_set(sink, "secret", value, strlen(value));
}

static const mcpcred_dispatch kDispatch[] = {
    MCPCRED_ENTRY(prov_info, Info), MCPCRED_ENTRY(prov_create, Create),
    MCPCRED_ENTRY(prov_destroy, Destroy), MCPCRED_ENTRY(prov_fetch, Fetch),
    MCPCRED_DISPATCH_END};

MCPCRED_EXPORT int32_t mcpcred_provider_entry(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {
  *plugin_abi = MCPCRED_ABI_VERSION_2; /* the version of this table's ids */
  if (host_max_abi < MCPCRED_ABI_VERSION_2) return MCPCRED_ERR_UNSUPPORTED;
  token_set = mcpcred_get_host_token_set(
      mcpcred_dispatch_find(host_dispatch, MCPCRED_HOST_TOKEN_SET));
  if (token_set == NULL) return MCPCRED_ERR_UNSUPPORTED;
  *plugin_dispatch = kDispatch;
  return MCPCRED_OK;
}

// Test provider "sdk_echo", written as a third party would with the installed
// SDK alone: it hands out its config's "value".
#include <mcpcred/provider_sdk.h>

#include <string>

namespace {

const mcpcred_field kFields[] = {
    {"value", MCPCRED_FIELD_STRING, 1, "what to hand out"},
};
const char* const kVariables[] = {"secret"};
const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "sdk_echo",
    "hands out its config's value",
    kFields,
    1,
    kVariables,
    1,
    0,
};

const mcpcred_provider_info* Info() { return &kInfo; }

// The config is {"value":"..."}; a test value has no escapes.
int32_t Create(mcpcred_host_ctx*, const char*, const char* config_json,
               void** instance, mcpcred_error*) {
  std::string json = config_json;
  const std::string key = "\"value\":\"";
  size_t start = json.find(key);
  if (start == std::string::npos) {
    throw mcpcred::plugin::Error(MCPCRED_ERR_INVALID_CONFIG, "no value",
                                 "value");
  }
  start += key.size();
  *instance =
      new std::string(json.substr(start, json.find('"', start) - start));
  return MCPCRED_OK;
}

void Destroy(void* instance) { delete static_cast<std::string*>(instance); }

int32_t Fetch(void* instance, mcpcred_token_sink* sink, mcpcred_error*) {
  return mcpcred::plugin::SetVariable(sink, "secret",
                                      *static_cast<std::string*>(instance));
}

const mcpcred_dispatch kDispatch[] = {
    MCPCRED_SDK_ENTRY(prov_info, &Info),
    MCPCRED_SDK_ENTRY(prov_create, &Create),
    MCPCRED_SDK_ENTRY(prov_destroy, &Destroy),
    MCPCRED_SDK_ENTRY(prov_fetch, &Fetch),
    MCPCRED_DISPATCH_END,
};

}  // namespace

MCPCRED_DEFINE_PROVIDER_ENTRY(kDispatch)

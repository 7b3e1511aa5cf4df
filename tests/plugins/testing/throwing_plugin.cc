// Test plugin "throwing", written with the SDK: its functions throw, and the
// entries MCPCRED_SDK_ENTRY generates must turn that into error codes. The
// config's "mode" says what fetch() throws: "error" an mcpcred::plugin::Error,
// "runtime" a std::runtime_error, "other" an int. stop() throws too.
#include <stdexcept>
#include <string>

#include "mcpcred/provider_sdk.h"
#include "nlohmann/json.hpp"

namespace {

struct Instance {
  std::string mode;
};

const mcpcred_field kFields[] = {
    {"mode", MCPCRED_FIELD_STRING, 1, "error, runtime or other"},
};
const char* const kVariables[] = {"secret"};
const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "throwing",
    "test provider",
    kFields,
    1,
    kVariables,
    1,
    0,
};

const mcpcred_provider_info* Info() { return &kInfo; }

int32_t Create(mcpcred_host_ctx*, const char*, const char* config_json,
               void** instance, mcpcred_error*) {
  // Throws nlohmann::json::parse_error on a bad config.
  nlohmann::json config = nlohmann::json::parse(config_json);
  *instance = new Instance{config.at("mode").get<std::string>()};
  return MCPCRED_OK;
}

void Destroy(void* instance) {
  delete static_cast<Instance*>(instance);
  throw std::runtime_error("destroy must not let this out");
}

int32_t Fetch(void* instance, mcpcred_token_sink*, mcpcred_error*) {
  const std::string& mode = static_cast<Instance*>(instance)->mode;
  if (mode == "error") {
    throw mcpcred::plugin::Error(MCPCRED_ERR_UNAVAILABLE, "upstream is down",
                                 "mode");
  }
  if (mode == "runtime") throw std::runtime_error("boom");
  throw 42;
}

void Stop() { throw std::runtime_error("stop must not let this out"); }

const mcpcred_dispatch kDispatch[] = {
    MCPCRED_SDK_ENTRY(prov_info, &Info),
    MCPCRED_SDK_ENTRY(prov_create, &Create),
    MCPCRED_SDK_ENTRY(prov_destroy, &Destroy),
    MCPCRED_SDK_ENTRY(prov_fetch, &Fetch),
    MCPCRED_SDK_ENTRY(prov_stop, &Stop),
    MCPCRED_DISPATCH_END,
};

}  // namespace

MCPCRED_DEFINE_PROVIDER_ENTRY(kDispatch)

// Test plugin "failing": loads fine, but create() always fails with a message
// naming the key "region", to test how the host reports plugin errors.
#include "mcpcred/provider.h"
#include "plugins/sdk/host.h"
#include "plugins/sdk/status.h"

namespace {

const mcpcred_field kFields[] = {
    {"region", MCPCRED_FIELD_STRING, 0, "a region"},
};
const char* const kVariables[] = {"secret"};
const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "failing",
    "test provider",
    kFields,
    1,
    kVariables,
    1,
    0,
};

const mcpcred_provider_info* Info() { return &kInfo; }
int32_t Create(mcpcred_host_ctx*, const char*, const char*, void**,
               mcpcred_error* error) {
  return mcpcred::plugin::SetError(error, MCPCRED_ERR_INVALID_CONFIG,
                                   "region \"mars\" does not exist", "region");
}
void Destroy(void*) {}
int32_t Fetch(void*, mcpcred_token_sink*, mcpcred_error* error) {
  return mcpcred::plugin::SetError(error, MCPCRED_ERR_INTERNAL, "unreachable");
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

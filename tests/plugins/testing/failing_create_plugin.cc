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
    {MCPCRED_PROV_INFO, reinterpret_cast<mcpcred_fn>(&Info)},
    {MCPCRED_PROV_CREATE, reinterpret_cast<mcpcred_fn>(&Create)},
    {MCPCRED_PROV_DESTROY, reinterpret_cast<mcpcred_fn>(&Destroy)},
    {MCPCRED_PROV_FETCH, reinterpret_cast<mcpcred_fn>(&Fetch)},
    {0, nullptr},
};

}  // namespace

MCPCRED_DEFINE_PROVIDER_ENTRY(kDispatch)

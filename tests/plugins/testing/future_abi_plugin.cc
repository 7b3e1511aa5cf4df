// Test plugin "future" as built against a header one version ahead (ABI 3):
// it negotiates down to the host's version when that is 2, lists a function
// id that ABI 2 does not define (the host must skip it), and describes itself
// with a larger mcpcred_provider_info (the host must read only its prefix).
#include <unistd.h>

#include "mcpcred/provider.h"

namespace {

constexpr uint32_t kFutureAbi = MCPCRED_ABI_VERSION_2 + 1;
constexpr int32_t kFutureFunctionId = MCPCRED_PROV_ID_LAST;

// ABI 3's description: ABI 2's, then a field this host does not know.
struct FutureInfo {
  mcpcred_provider_info v2;
  const char* homepage;
};

mcpcred_host_token_set_fn g_token_set = nullptr;

const char* const kVariables[] = {"secret"};
const FutureInfo kInfo = {
    {sizeof(FutureInfo), "future", "a plugin built for ABI 3", nullptr, 0,
     kVariables, 1, 0},
    "https://example.invalid/future",
};

const mcpcred_provider_info* Info() { return &kInfo.v2; }
int32_t Create(mcpcred_host_ctx*, const char*, const char*, void** instance,
               mcpcred_error*) {
  *instance = nullptr;
  return MCPCRED_OK;
}
void Destroy(void*) {}
int32_t Fetch(void*, mcpcred_token_sink* sink, mcpcred_error*) {
  return g_token_set(sink, "secret", "negotiated-down", 15);
}
void NeverCalled() { _exit(3); }

const mcpcred_dispatch kDispatch[] = {
    MCPCRED_ENTRY(prov_info, &Info),
    {kFutureFunctionId, reinterpret_cast<mcpcred_fn>(&NeverCalled)},
    MCPCRED_ENTRY(prov_create, &Create),
    MCPCRED_ENTRY(prov_destroy, &Destroy),
    MCPCRED_ENTRY(prov_fetch, &Fetch),
    MCPCRED_DISPATCH_END,
};

}  // namespace

extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {
  // It can work with ABI 2 and 3 hosts, not with ABI 1 ones.
  if (host_max_abi < MCPCRED_ABI_VERSION_2) {
    *plugin_abi = MCPCRED_ABI_VERSION_2;
    return MCPCRED_ERR_UNSUPPORTED;
  }
  g_token_set = mcpcred_get_host_token_set(
      mcpcred_dispatch_find(host_dispatch, MCPCRED_HOST_TOKEN_SET));
  *plugin_abi = host_max_abi < kFutureAbi ? host_max_abi : kFutureAbi;
  *plugin_dispatch = kDispatch;
  return MCPCRED_OK;
}

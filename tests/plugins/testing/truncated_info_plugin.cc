// Test plugin whose description is shorter than any ABI version's: its
// struct_size stops before `flags`, and the bytes end at an inaccessible page
// where `flags` would be. The host must refuse it by struct_size alone,
// without reading past it.
#include <cstddef>
#include <cstring>

#include "mcpcred/provider.h"
#include "tests/plugins/testing/guard_page.h"

namespace {

constexpr size_t kShortSize = offsetof(mcpcred_provider_info, flags);

const mcpcred_provider_info* Info() {
  static const void* placed = [] {
    mcpcred_provider_info info;
    std::memset(&info, 0, sizeof(info));
    info.struct_size = kShortSize;
    info.name = "truncated";
    return mcpcred::testing::CopyBeforeGuardPage(&info, kShortSize);
  }();
  return static_cast<const mcpcred_provider_info*>(placed);
}
int32_t Create(mcpcred_host_ctx*, const char*, const char*, void**,
               mcpcred_error*) {
  return MCPCRED_ERR_INTERNAL;
}
void Destroy(void*) {}
int32_t Fetch(void*, mcpcred_token_sink*, mcpcred_error*) {
  return MCPCRED_ERR_INTERNAL;
}

const mcpcred_dispatch kDispatch[] = {
    MCPCRED_ENTRY(prov_info, &Info),
    MCPCRED_ENTRY(prov_create, &Create),
    MCPCRED_ENTRY(prov_destroy, &Destroy),
    MCPCRED_ENTRY(prov_fetch, &Fetch),
    MCPCRED_DISPATCH_END,
};

}  // namespace

extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {
  *plugin_abi = MCPCRED_ABI_VERSION_2;
  *plugin_dispatch = kDispatch;
  return host_max_abi >= MCPCRED_ABI_VERSION_2 ? MCPCRED_OK
                                               : MCPCRED_ERR_UNSUPPORTED;
}

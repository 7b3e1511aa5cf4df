// Test plugin that only speaks a future ABI version, which no host offers
// yet: it refuses and says which version it needs.
#include "mcpcred/provider.h"

extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {
  constexpr uint32_t kOnlyVersion = 99;
  *plugin_abi = kOnlyVersion;
  if (host_max_abi < kOnlyVersion) return MCPCRED_ERR_UNSUPPORTED;
  *plugin_dispatch = nullptr;
  return MCPCRED_OK;
}

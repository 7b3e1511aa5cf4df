// Test plugin that hands the host's own table back as its function table: ids
// from the host service range, which the host must refuse since ABI 2.
#include "mcpcred/provider.h"

extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {
  *plugin_abi = MCPCRED_ABI_VERSION_2;
  *plugin_dispatch = host_dispatch;
  return MCPCRED_OK;
}

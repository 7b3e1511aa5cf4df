// Test plugin that ignores the offer and answers a newer ABI version than the
// host implements, which the host must refuse rather than guess at.
#include "mcpcred/provider.h"

namespace {
const mcpcred_dispatch kEmpty[] = {MCPCRED_DISPATCH_END};
}  // namespace

extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {
  *plugin_abi = host_max_abi + 1;
  *plugin_dispatch = kEmpty;
  return MCPCRED_OK;
}

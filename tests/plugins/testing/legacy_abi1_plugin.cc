// Test plugin "legacy" as built against the ABI 1 header: it answers version
// 1 to any offer and numbers its functions from 1 (today's ids minus
// MCPCRED_PROV_ID_V1_OFFSET), stop() included, which ABI 1 gained later
// (after stop() the fetched secret is "stopped-abi-1"). Its table also holds
// an id no version defines, which the host must skip. Its description is
// exactly ABI 1's size and ends at an inaccessible page, so a host that read
// past struct_size would crash.
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "mcpcred/provider.h"
#include "tests/plugins/testing/guard_page.h"

namespace {

// ABI 1's function ids, as its header defined them.
constexpr int32_t kV1Info = 1;
constexpr int32_t kV1Create = 2;
constexpr int32_t kV1Destroy = 3;
constexpr int32_t kV1Fetch = 4;
constexpr int32_t kV1Stop = 8;
constexpr int32_t kV1Unknown = 77;

mcpcred_host_token_set_fn g_token_set = nullptr;
std::atomic<bool> g_stopped{false};

const char* const kVariables[] = {"secret"};

const mcpcred_provider_info* Info() {
  static const void* placed = [] {
    mcpcred_provider_info info;
    std::memset(&info, 0, sizeof(info));
    info.struct_size = sizeof(mcpcred_provider_info);  // ABI 1's size
    info.name = "legacy";
    info.description = "a plugin built for ABI 1";
    info.variables = kVariables;
    info.variable_count = 1;
    return mcpcred::testing::CopyBeforeGuardPage(&info, sizeof(info));
  }();
  return static_cast<const mcpcred_provider_info*>(placed);
}

int32_t Create(mcpcred_host_ctx*, const char*, const char*, void** instance,
               mcpcred_error*) {
  *instance = nullptr;
  return MCPCRED_OK;
}
void Destroy(void*) {}
int32_t Fetch(void*, mcpcred_token_sink* sink, mcpcred_error*) {
  if (g_stopped) return g_token_set(sink, "secret", "stopped-abi-1", 13);
  return g_token_set(sink, "secret", "from-abi-1", 10);
}
void Stop() { g_stopped = true; }
void NeverCalled() { _exit(3); }

const mcpcred_dispatch kDispatch[] = {
    {kV1Info, reinterpret_cast<mcpcred_fn>(&Info)},
    {kV1Unknown, reinterpret_cast<mcpcred_fn>(&NeverCalled)},
    {kV1Create, reinterpret_cast<mcpcred_fn>(&Create)},
    {kV1Destroy, reinterpret_cast<mcpcred_fn>(&Destroy)},
    {kV1Fetch, reinterpret_cast<mcpcred_fn>(&Fetch)},
    {kV1Stop, reinterpret_cast<mcpcred_fn>(&Stop)},
    {0, nullptr},
};

}  // namespace

extern "C" MCPCRED_EXPORT int32_t mcpcred_provider_entry(
    uint32_t host_max_abi, const mcpcred_dispatch* host_dispatch,
    uint32_t* plugin_abi, const mcpcred_dispatch** plugin_dispatch) {
  if (host_max_abi < MCPCRED_ABI_VERSION_1) return MCPCRED_ERR_UNSUPPORTED;
  g_token_set = mcpcred_get_host_token_set(
      mcpcred_dispatch_find(host_dispatch, MCPCRED_HOST_TOKEN_SET));
  *plugin_abi = MCPCRED_ABI_VERSION_1;
  *plugin_dispatch = kDispatch;
  return MCPCRED_OK;
}

// Test provider "counter": each fetch returns "counter-<credential>-<n>" with
// n counting this instance's fetches, so tests can see cache hits, expiry and
// single-flight. Config (all optional):
//   ttl_ms      token lifetime; 0 = never expires
//   delay_ms    how long each fetch blocks
//   fail_after  fetches that succeed before every later one fails
//   fail_with   "unavailable" (default), "login_required" or "internal"
//   token_bytes pads access_token with 'x' to this many bytes, ignoring what
//               the host answers (as a careless or hostile plugin would)
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/sdk/host.h"
#include "plugins/sdk/status.h"

namespace {

using mcpcred::plugin::SetError;

struct CounterInstance {
  mcpcred_host_ctx* host = nullptr;
  std::string name;
  int64_t ttl_ms = 0;
  int64_t delay_ms = 0;
  int64_t fail_after = -1;
  int32_t fail_code = MCPCRED_ERR_UNAVAILABLE;
  int64_t token_bytes = 0;
  std::atomic<int64_t> fetches{0};
};

const mcpcred_field kFields[] = {
    {"ttl_ms", MCPCRED_FIELD_INTEGER, 0, "token lifetime in ms (0: forever)"},
    {"delay_ms", MCPCRED_FIELD_INTEGER, 0, "fetch latency in ms"},
    {"fail_after", MCPCRED_FIELD_INTEGER, 0,
     "successful fetches before failing"},
    {"fail_with", MCPCRED_FIELD_STRING, 0,
     "unavailable|login_required|internal"},
    {"token_bytes", MCPCRED_FIELD_INTEGER, 0, "access_token padded to this"},
};
const char* const kVariables[] = {"access_token", "count"};

const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "counter",
    "test provider",
    kFields,
    5,
    kVariables,
    2,
    MCPCRED_PROVIDER_EXPIRES,
};

const mcpcred_provider_info* Info() { return &kInfo; }

int32_t Create(mcpcred_host_ctx* host, const char* name, const char* json,
               void** instance, mcpcred_error* error) {
  nlohmann::json config = nlohmann::json::parse(json, nullptr, false);
  if (!config.is_object()) {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG, "bad config json");
  }
  auto self = std::make_unique<CounterInstance>();
  self->host = host;
  self->name = name;
  self->ttl_ms = config.value("ttl_ms", int64_t{0});
  self->delay_ms = config.value("delay_ms", int64_t{0});
  self->fail_after = config.value("fail_after", int64_t{-1});
  self->token_bytes = config.value("token_bytes", int64_t{0});
  std::string fail_with = config.value("fail_with", std::string("unavailable"));
  if (fail_with == "login_required") {
    self->fail_code = MCPCRED_ERR_LOGIN_REQUIRED;
  } else if (fail_with == "internal") {
    self->fail_code = MCPCRED_ERR_INTERNAL;
  } else if (fail_with != "unavailable") {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG,
                    "must be unavailable, login_required or internal",
                    "fail_with");
  }
  *instance = self.release();
  return MCPCRED_OK;
}

void Destroy(void* instance) { delete static_cast<CounterInstance*>(instance); }

int32_t Fetch(void* instance, mcpcred_token_sink* sink, mcpcred_error* error) {
  auto* self = static_cast<CounterInstance*>(instance);
  if (self->delay_ms > 0)
    usleep(static_cast<useconds_t>(self->delay_ms * 1000));
  int64_t n = ++self->fetches;
  if (self->fail_after >= 0 && n > self->fail_after) {
    return SetError(error, self->fail_code,
                    "counter: upstream refused fetch " + std::to_string(n));
  }
  std::string token = "counter-" + self->name + "-" + std::to_string(n);
  if (self->token_bytes > 0) {
    token.resize(static_cast<size_t>(self->token_bytes), 'x');
  }
  mcpcred::plugin::SetVariable(sink, "access_token", token);
  mcpcred::plugin::SetVariable(sink, "count", std::to_string(n));
  if (self->ttl_ms > 0) {
    const auto& h = mcpcred::plugin::host();
    h.token_set_expiry(sink, h.now_ms(self->host) + self->ttl_ms);
  }
  return MCPCRED_OK;
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

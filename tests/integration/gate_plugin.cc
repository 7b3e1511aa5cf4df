// Test provider "gate": a fetch that the test holds open as long as it likes,
// so "this fetch is in flight" is a fact rather than a guess about timing.
// Each fetch creates <dir>/started, then waits until <dir>/release exists
// (giving up after a minute, a safety limit only) and returns the token
// "gate-<credential>". Config: dir (required), the directory of both files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/sdk/host.h"
#include "plugins/sdk/status.h"

namespace {

using mcpcred::plugin::SetError;

constexpr int kPollMs = 5;
constexpr int kSafetyLimitMs = 60 * 1000;

struct GateInstance {
  std::string name;
  std::string dir;
};

const mcpcred_field kFields[] = {
    {"dir", MCPCRED_FIELD_STRING, 1, "directory of the started/release files"},
};
const char* const kVariables[] = {"access_token"};

const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "gate",
    "test provider whose fetch waits for a release file",
    kFields,
    1,
    kVariables,
    1,
    0,
};

const mcpcred_provider_info* Info() { return &kInfo; }

int32_t Create(mcpcred_host_ctx* host, const char* name, const char* json,
               void** instance, mcpcred_error* error) {
  nlohmann::json config = nlohmann::json::parse(json, nullptr, false);
  if (!config.is_object() || !config.contains("dir") ||
      !config["dir"].is_string()) {
    return SetError(error, MCPCRED_ERR_INVALID_CONFIG, "needs a string", "dir");
  }
  auto self = std::make_unique<GateInstance>();
  self->name = name;
  self->dir = config["dir"].get<std::string>();
  *instance = self.release();
  return MCPCRED_OK;
}

void Destroy(void* instance) { delete static_cast<GateInstance*>(instance); }

int32_t Fetch(void* instance, mcpcred_token_sink* sink, mcpcred_error* error) {
  auto* self = static_cast<GateInstance*>(instance);
  std::string started = self->dir + "/started";
  int fd = open(started.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return SetError(error, MCPCRED_ERR_INTERNAL,
                    "gate: cannot create " + started);
  }
  close(fd);
  std::string release = self->dir + "/release";
  struct stat st;
  for (int waited = 0; stat(release.c_str(), &st) != 0; waited += kPollMs) {
    if (waited >= kSafetyLimitMs) {
      return SetError(error, MCPCRED_ERR_UNAVAILABLE, "gate: never released");
    }
    usleep(kPollMs * 1000);
  }
  mcpcred::plugin::SetVariable(sink, "access_token", "gate-" + self->name);
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

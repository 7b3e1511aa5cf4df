// The interface of the agent's secret-service module
// (modules/secret-service.so, built from libsecret_store.cc): the libsecret
// and GDBus half of SecretServiceStore, loaded at the store's first call (or
// the "auto" backend's probe), so that an agent with another store never
// maps libsecret, GLib, GObject and GIO. See agent/util/internal_module.h.
//
// Secrets cross as bytes: the module's own SecretString would use its own
// arena, so it hands a secret read to `sink` (which copies it into the
// agent's) and takes a secret to write as a view.
#ifndef MCPCRED_AGENT_STORE_SECRET_SERVICE_MODULE_H_
#define MCPCRED_AGENT_STORE_SECRET_SERVICE_MODULE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agent/store/secret_store.h"

namespace mcpcred {

struct SecretServiceModule {
  static constexpr char kName[] = "secret-service";
  // One store's connection state; calls on one run one at a time, each
  // cancelled after `call_timeout`. Thread-safe.
  struct Store;
  using Sink = void (*)(void* context, const char* data, size_t size);

  Store* (*open)(absl::Duration call_timeout);
  void (*close)(Store* store);
  // SecretStore's calls, as secret_service_store.h states them. `get` passes
  // the secret to sink(context, ...) once, before it returns OK.
  absl::Status (*get)(Store* store, const StoreKey& key, Sink sink,
                      void* context);
  absl::Status (*put)(Store* store, const StoreKey& key,
                      const std::string& label, absl::string_view value);
  absl::Status (*erase)(Store* store, const StoreKey& key);
  absl::StatusOr<std::vector<StoreKey>> (*list)(Store* store);
  // SecretServiceStore::Probe.
  absl::Status (*probe)(absl::Duration timeout);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_SECRET_SERVICE_MODULE_H_

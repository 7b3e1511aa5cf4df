// Turns a loaded config into broker slots: one provider instance per
// credential. A credential whose config or provider fails becomes a slot in
// the ERROR state with the reason; the others load regardless.
#ifndef MCPCRED_AGENT_BROKER_SLOT_FACTORY_H_
#define MCPCRED_AGENT_BROKER_SLOT_FACTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "agent/broker/credential_slot.h"
#include "agent/config/config.h"
#include "agent/plugin/plugin_registry.h"
#include "agent/store/secret_store.h"
#include "agent/util/clock.h"

namespace mcpcred {

// `errors` receives one line per credential that failed to load, naming the
// file, line, credential and key where known. `redaction` (may be null) is
// handed to every provider instance (ProviderInstance::Create). `prefetch`
// false: no slot is fetched before a request asks (credentials forgotten at
// the end of their lifetime).
std::vector<std::shared_ptr<CredentialSlot>> BuildSlots(
    const config::AgentConfig& config, const PluginRegistry& plugins,
    SecretStore* store, const Clock* clock, std::vector<std::string>* errors,
    RedactionRegistry* redaction = nullptr, bool prefetch = true);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_SLOT_FACTORY_H_

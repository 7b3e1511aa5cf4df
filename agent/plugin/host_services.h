// The services the agent hands to every plugin (the host side of the ABI's
// dispatch table), and the per-instance context they act on.
#ifndef MCPCRED_AGENT_PLUGIN_HOST_SERVICES_H_
#define MCPCRED_AGENT_PLUGIN_HOST_SERVICES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "agent/http/loopback_listener.h"
#include "agent/plugin/login_observer.h"
#include "agent/policy/redaction_registry.h"
#include "agent/store/secret_store.h"
#include "agent/util/clock.h"
#include "mcpcred/provider.h"

// The ABI's opaque types, defined on the host side. They live in the global
// namespace because the C header declares them there.
struct mcpcred_host_ctx {
  std::string credential;
  mcpcred::SecretStore* store = nullptr;  // not owned
  const mcpcred::Clock* clock = nullptr;  // not owned
  // Every secret the plugin reads or stores through the host is remembered
  // here, and every message it sends (log lines, errors) is scrubbed of all
  // held values; null: neither (tests).
  mcpcred::RedactionRegistry* redaction = nullptr;  // not owned
};

struct mcpcred_login_session {
  mcpcred_host_ctx* host = nullptr;
  mcpcred::LoginObserver* observer = nullptr;  // not owned
  mcpcred::LoopbackListener listener;
};

// What a fetch or login hands back. The host caps what a plugin may put in
// it (mcpcred::kMaxTokenValueBytes, mcpcred::kMaxTokenBytes): a refused
// variable is not stored and `refused` says why, naming the variable and the
// sizes, never the value; the fetch then fails with that reason.
struct mcpcred_token_sink {
  std::map<std::string, mcpcred::SecretString> variables;
  std::string first_variable;
  std::optional<int64_t> expires_at_ms;
  size_t bytes = 0;     // names and values in `variables`
  std::string refused;  // the first refusal; empty if none
};

namespace mcpcred {

// One variable's value: far above any token, key or JWT.
inline constexpr size_t kMaxTokenValueBytes = 64 << 10;
// All names and values of one credential together.
inline constexpr size_t kMaxTokenBytes = 1 << 20;
inline constexpr size_t kMaxTokenVariables = 64;
inline constexpr size_t kMaxTokenVariableName = 256;

// The host's dispatch table, terminated by {0, NULL}. Static storage.
const mcpcred_dispatch* HostDispatch();

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_PLUGIN_HOST_SERVICES_H_

// `mcpcred-agent --check`: validates a config the way the agent does when it
// starts, without starting (like `sshd -t`).
#ifndef MCPCRED_AGENT_DAEMON_CONFIG_CHECK_H_
#define MCPCRED_AGENT_DAEMON_CONFIG_CHECK_H_

#include <string>
#include <vector>

#include "agent/daemon/agent.h"

namespace mcpcred {

struct ConfigCheck {
  int credentials = 0;  // how many [credential.NAME] tables the file has
  // One line per problem, each naming the file and line where known: a
  // plugin that failed to load, no plugin at all, an internal module of the
  // agent that cannot be loaded, a missing or unreadable
  // config, a syntax error, a credential that would be in the ERROR state.
  // Never a secret value.
  std::vector<std::string> problems;
};

// Loads the plugins from settings.plugin_dirs and every internal module
// (agent/util/internal_module.h), reads settings.config_path,
// and creates (then drops) every credential's provider instance, as
// Agent::Create() does: env: and file: references are resolved, each
// provider checks its own config. Fetches nothing, touches no socket, opens
// no audit log, writes nothing: the secret store is opened (read-only) only
// if a provider reads a keyring: reference while being created. Unlike the
// agent, which starts without credentials, a missing config file is a
// problem. Not thread-safe (loads plugins); call from main().
ConfigCheck CheckConfig(const AgentSettings& settings);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_CONFIG_CHECK_H_

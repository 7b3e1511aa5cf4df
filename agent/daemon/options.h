// mcpcred-agent's command line.
#ifndef MCPCRED_AGENT_DAEMON_OPTIONS_H_
#define MCPCRED_AGENT_DAEMON_OPTIONS_H_

#include <string>

namespace mcpcred {

enum class AgentMode {
  kDaemon,      // default and -s: fork, print shell commands, serve
  kForeground,  // -D: serve in the foreground (systemd, tests)
  kKill,        // -k: stop the agent on $MCPCRED_SOCK
  kCheck,       // --check: validate the config and exit
};

struct AgentOptions {
  AgentMode mode = AgentMode::kDaemon;
  std::string config_path;  // empty: the default
  std::string socket_path;  // empty: the default
  bool debug = false;
  bool csh = false;  // -c: print csh-style commands
  // --fetch-timeout: a provider call not answered after this many seconds
  // is hung (its requests get UNAVAILABLE).
  int fetch_timeout_seconds = 30;
  // -t: the default lifetime of every credential (config/lifetime.h syntax);
  // empty: none.
  std::string default_lifetime;
  // --extra-socket: the restricted socket for forwarding; empty: none.
  std::string extra_socket_path;
};

// Parses argv. Returns false after printing help, a version or a usage error;
// *exit_code is then the status to exit with.
bool ParseAgentOptions(int argc, char** argv, AgentOptions* options,
                       int* exit_code);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_DAEMON_OPTIONS_H_

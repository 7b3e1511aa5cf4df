#include "agent/daemon/options.h"

#include "CLI/CLI.hpp"
#include "agent/config/lifetime.h"

namespace mcpcred {

bool ParseAgentOptions(int argc, char** argv, AgentOptions* options,
                       int* exit_code) {
  CLI::App app{
      "mcpcred-agent: keeps the credentials of your MCP servers and hands "
      "them to MCP hosts over a Unix socket."};
  bool foreground = false, shell = false, kill = false, check = false;
  app.add_flag("-D,--foreground", foreground,
               "stay in the foreground (for systemd and debugging)");
  app.add_flag("-s", shell,
               "fork and print Bourne shell commands that set MCPCRED_SOCK");
  app.add_flag("-c", options->csh, "like -s, but print csh commands");
  app.add_flag("-k", kill, "stop the agent named by $MCPCRED_SOCK");
  app.add_flag("--check", check,
               "validate the config (plugins, every credential) and exit: "
               "0 if valid, else 1 with one line per problem; starts nothing");
  app.add_option("--config", options->config_path,
                 "config file (default: $MCPCRED_CONFIG, else "
                 "$XDG_CONFIG_HOME/mcpcred/config.toml)");
  app.add_option("--socket", options->socket_path,
                 "socket path (default: $MCPCRED_SOCK, else "
                 "$XDG_RUNTIME_DIR/mcpcred/agent.sock)");
  app.add_flag("-d,--debug", options->debug, "log debug lines");
  app.add_option("--fetch-timeout", options->fetch_timeout_seconds,
                 "seconds a provider may take before its requests get "
                 "UNAVAILABLE (default 30)")
      ->check(CLI::Range(1, 3600));
  app.add_option("-t", options->default_lifetime,
                 "forget each credential's token and provider state this "
                 "long after obtaining it, unless its config sets "
                 "`lifetime` (e.g. 8h, 30m, 3600)")
      ->check([](const std::string& value) -> std::string {
        absl::StatusOr<absl::Duration> parsed = config::ParseLifetime(value);
        return parsed.ok() ? "" : std::string(parsed.status().message());
      });
  app.add_option("--extra-socket", options->extra_socket_path,
                 "also listen on this restricted socket, for forwarding with "
                 "ssh -R: it only hands out and lists credentials");
  app.set_version_flag("--version", MCPCRED_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *exit_code = app.exit(e);
    return false;
  }
  if (static_cast<int>(foreground) + static_cast<int>(shell || options->csh) +
          static_cast<int>(kill) + static_cast<int>(check) >
      1) {
    fprintf(stderr,
            "mcpcred-agent: -D, -s/-c, -k and --check exclude each other\n");
    *exit_code = 2;
    return false;
  }
  if (foreground) options->mode = AgentMode::kForeground;
  if (kill) options->mode = AgentMode::kKill;
  if (check) options->mode = AgentMode::kCheck;
  return true;
}

}  // namespace mcpcred

// The MCP relay of mcpcred-exec: keeps COMMAND, a stdio MCP server, on fresh
// credentials for as long as the host talks to it, and keeps every secret
// value out of what the host reads.
//
// mcpcred-exec stays the server's parent and carries the stdio transport
// (newline-delimited JSON-RPC) both ways, on one event loop (poll) over the
// host's stdin and stdout, each instance's pipes, a signalfd (SIGCHLD and the
// signals passed on) and an eventfd the credential feed writes. Before a
// token would expire under the server it starts a new instance with the new
// environment and moves the session over (session.h); or, with
// --on-rotate=signal:NAME, rewrites $MCPCRED_ENV_FILE and signals the server.
// The server's messages and its stderr are masked (message_masker.h,
// StreamRedactor); counts go to stderr and to the agent's audit log.
//
// The host sees one server: its exit status (or the signal that ended it),
// signals passed on, and the host closing stdin closes the server's.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_RELAY_H_
#define MCPCRED_CLIENT_EXEC_RELAY_RELAY_H_

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "mcpcred/client.h"
#include "relay/line_framer.h"

namespace mcpcred::exec::relay {

enum class OnRotate { kRestart, kSignal, kNone };

struct RelayConfig {
  std::vector<std::string> command;
  std::vector<std::string> names;
  // The environment COMMAND would inherit (KEY=VALUE).
  std::vector<std::string> inherited_env;
  // --pass-socket: the agent's socket for COMMAND's MCPCRED_SOCK; empty:
  // COMMAND gets none.
  std::string pass_socket_path;
  std::chrono::seconds min_ttl{60};
  absl::Duration drain_timeout = absl::Seconds(30);
  absl::Duration start_timeout = absl::Seconds(30);
  // SIGTERM to SIGKILL.
  absl::Duration stop_grace = absl::Seconds(5);
  // After a replacement failed to start.
  absl::Duration retry_delay = absl::Seconds(10);
  // How often masking counts are reported while they grow.
  absl::Duration report_interval = absl::Seconds(60);
  OnRotate on_rotate = OnRotate::kRestart;
  int rotate_signal = SIGHUP;
  bool mask = true;
  size_t max_line = kDefaultMaxLine;
  // For the env file of kSignal ($XDG_RUNTIME_DIR, else /tmp).
  std::string private_dir_parent = "/tmp";
  // Who masked, for ReportRedactions: "mcpcred-exec NAME -- PROGRAM".
  std::string source;
};

// How the (current) server ended: an exit code, or the signal that killed
// it. `spawn_errno` when the first instance could not be started.
struct RelayExit {
  int code = 0;
  int signal = 0;
  int spawn_errno = 0;
};

// The signals the relay handles on its loop: blocked by BlockRelaySignals()
// in every thread, so it must run before any thread starts (gRPC's
// included), and be undone by RestoreSignals() before an exec.
void BlockRelaySignals();
void RestoreSignals();

// Runs COMMAND behind the relay until the current server instance exits.
// `credentials` are the values fetched for the first instance; `values` the
// agent's masked values (may be empty when the agent could not say).
RelayExit RunRelay(const RelayConfig& config, std::unique_ptr<Client> client,
                   std::vector<v1::Credential> credentials,
                   std::optional<v1::GetRedactionValuesResponse> values);

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_RELAY_H_

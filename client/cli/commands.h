// The `mcpcred` subcommands. Each prints its data on stdout, its error as one
// line on stderr, and returns the process exit code (tool_util.h).
#ifndef MCPCRED_CLIENT_CLI_COMMANDS_H_
#define MCPCRED_CLIENT_CLI_COMMANDS_H_

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcpcred::cli {

struct GlobalOptions {
  std::string socket_path;  // Empty: the default socket.
  bool json = false;
};

// Writes `text` to stdout as is and flushes it.
void Print(absl::string_view text);
// Prints "mcpcred: <message>" on stderr and returns the exit code of `status`.
int Fail(const absl::Status& status);

int RunStatus(const GlobalOptions& options);
// `names_only`: one credential name a line, nothing else (not even with
// --json): what shell completion reads.
int RunList(const GlobalOptions& options, bool names_only);
int RunToken(const GlobalOptions& options, const std::string& name,
             std::chrono::seconds min_ttl);
int RunEnv(const GlobalOptions& options, const std::string& name);
int RunHeaders(const GlobalOptions& options, const std::string& name);
int RunSecretKeys(const GlobalOptions& options);
// Reads all of stdin and prints it redacted, byte for byte.
int RunRedact(const GlobalOptions& options);
int RunReload(const GlobalOptions& options);

struct LoginOptions {
  std::string name;
  bool device = false;
  bool no_browser = false;
  // Read the final redirect address from stdin and hand it to the agent's
  // redirect listener (paste_redirect.h); implies no_browser.
  bool paste = false;
  std::vector<std::string> scopes;
};
// SIGINT cancels the login and returns kExitInterrupted.
int RunLogin(const GlobalOptions& options, const LoginOptions& login);
int RunLogout(const GlobalOptions& options, const std::string& name);

// Stores a secret read from stdin or a no-echo prompt (secret_input.h).
int RunAdd(const GlobalOptions& options, const std::string& name);
// Idempotent: removing an absent secret succeeds.
int RunRemove(const GlobalOptions& options, const std::string& name);

struct ImportOptions {
  bool dry_run = false;
  // Apply without asking (it asks only when stdin is a terminal).
  bool yes = false;
};
// Moves the literal secrets of MCP host configs into the agent
// (import/import_plan.h); --dry-run shows the plan with values hidden.
int RunImport(const GlobalOptions& options, const ImportOptions& import);

// Checks the agent, its socket and config, the store, the credentials and
// the host configs; one line each, ok or what to fix. Exit 1 if anything
// needs fixing.
int RunDoctor(const GlobalOptions& options);

// Lock and unlock the agent with a passphrase read from stdin or a no-echo
// prompt (asked twice for lock), never from argv.
int RunLock(const GlobalOptions& options);
int RunUnlock(const GlobalOptions& options);

}  // namespace mcpcred::cli

#endif  // MCPCRED_CLIENT_CLI_COMMANDS_H_

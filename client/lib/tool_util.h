// What the `mcpcred` CLI and `mcpcred-exec` share: exit codes, the one-line
// error format, and connecting. Internal to the client tools; not installed.
#ifndef MCPCRED_CLIENT_LIB_TOOL_UTIL_H_
#define MCPCRED_CLIENT_LIB_TOOL_UTIL_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mcpcred/client.h"

namespace mcpcred {

// Scripts branch on these, so they are part of the tools' contract.
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,
  kExitUsage = 2,
  kExitNoAgent = 3,
  kExitNotFound = 4,
  kExitLoginRequired = 5,
  kExitCannotExecute = 126,
  kExitCommandNotFound = 127,
  kExitInterrupted = 130,
};

// The exit code for a failed (or OK) call to the agent.
int ExitCodeFor(const absl::Status& status);

// "<program>: <message>\n", on one line even if the message has several.
std::string ErrorLine(absl::string_view program, absl::string_view message);

// Client::Create, except that finding no socket path at all counts as "no
// agent answers" (IsAgentUnreachable), like a socket nobody listens on.
// `exec_command`: ClientOptions::exec_command (mcpcred-exec only).
absl::StatusOr<std::unique_ptr<Client>> ConnectToAgent(
    const std::string& socket_path, const std::string& exec_command = "");

}  // namespace mcpcred

#endif  // MCPCRED_CLIENT_LIB_TOOL_UTIL_H_

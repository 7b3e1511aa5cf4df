#include "tool_util.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent_unreachable.h"

namespace mcpcred {

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (IsAgentUnreachable(status)) return kExitNoAgent;
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kFailedPrecondition:
      return kExitLoginRequired;
    default:
      return kExitError;
  }
}

std::string ErrorLine(absl::string_view program, absl::string_view message) {
  std::string line = absl::StrCat(program, ": ", message);
  // A multi-line message would break tools that read stderr line by line.
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  line.push_back('\n');
  return line;
}

absl::StatusOr<std::unique_ptr<Client>> ConnectToAgent(
    const std::string& socket_path, const std::string& exec_command) {
  ClientOptions options;
  options.socket_path = socket_path;
  options.exec_command = exec_command;
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
  if (!client.ok()) {
    return client_internal::MarkAgentUnreachable(client.status());
  }
  return client;
}

}  // namespace mcpcred

// add and remove: the secrets that `secret = "keyring:NAME"` reads.
#include <string.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "mcpcred/client.h"
#include "output.h"
#include "secret_input.h"
#include "tool_util.h"

namespace mcpcred::cli {
namespace {

// The agent checks this too; checking first spares typing a secret for a
// name that will be refused.
absl::Status CheckName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                c == '.' || c == '_' || c == '-');
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "a secret name is 1 to 64 of A-Z a-z 0-9 . _ -");
}

}  // namespace

int RunAdd(const GlobalOptions& options, const std::string& name) {
  absl::Status valid = CheckName(name);
  if (!valid.ok()) return Fail(valid);
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  // Before a person types a secret, make sure someone will take it.
  if (StdinIsTerminal()) {
    absl::StatusOr<v1::AgentStatus> status = (*client)->GetStatus();
    if (!status.ok()) return Fail(status.status());
  }
  absl::StatusOr<SecretString> value =
      ReadSecret(absl::StrCat("Secret for ", name, ": "));
  if (!value.ok()) return Fail(value.status());
  absl::StatusOr<v1::AddSecretResponse> added =
      (*client)->AddSecret(name, value->view());
  if (!added.ok()) return Fail(added.status());
  Print(options.json ? DumpJson({{"name", name}, {"store", added->store()}})
                     : absl::StrCat("Added secret \"", name, "\" to the ",
                                    added->store(), " store.\n"));
  return kExitOk;
}

int RunRemove(const GlobalOptions& options, const std::string& name) {
  absl::Status valid = CheckName(name);
  if (!valid.ok()) return Fail(valid);
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<v1::RemoveSecretResponse> removed =
      (*client)->RemoveSecret(name);
  if (!removed.ok()) return Fail(removed.status());
  Print(options.json ? DumpJson({{"name", name}, {"store", removed->store()}})
                     : absl::StrCat("Removed secret \"", name, "\" from the ",
                                    removed->store(), " store.\n"));
  return kExitOk;
}

}  // namespace mcpcred::cli

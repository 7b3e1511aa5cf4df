// lock and unlock: the agent's lock (like ssh-add -x and -X). The
// passphrase comes from stdin or a prompt that does not echo, never from
// the command line.
#include <string.h>

#include <memory>
#include <string>
#include <string_view>

#include "commands.h"
#include "mcpcred/client.h"
#include "output.h"
#include "secret_input.h"
#include "tool_util.h"

namespace mcpcred::cli {
namespace {

// The passphrase, asked twice on a terminal when `confirm`.
absl::StatusOr<SecretString> ReadPassphrase(const std::string& prompt,
                                            bool confirm) {
  absl::StatusOr<SecretString> passphrase = ReadSecret(prompt);
  if (passphrase.ok() &&
      passphrase->view().find_first_of("\r\n") != std::string_view::npos) {
    return absl::InvalidArgumentError(
        "the passphrase is one line: give it on stdin without further lines");
  }
  if (!passphrase.ok() || !confirm || !StdinIsTerminal()) return passphrase;
  absl::StatusOr<SecretString> again = ReadSecret("Again: ");
  if (!again.ok()) return again.status();
  if (again->view() != passphrase->view()) {
    return absl::InvalidArgumentError(
        "the passphrases differ: the agent is not locked");
  }
  return passphrase;
}

int RunLockOrUnlock(const GlobalOptions& options, bool lock) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  // Before a person types a passphrase, make sure the agent answers and
  // is in the state the command changes.
  if (StdinIsTerminal()) {
    absl::StatusOr<v1::AgentStatus> status = (*client)->GetStatus();
    if (!status.ok()) return Fail(status.status());
    if (status->locked() == lock) {
      return Fail(absl::FailedPreconditionError(lock ? "agent is locked already"
                                                     : "agent is not locked"));
    }
  }
  absl::StatusOr<SecretString> passphrase =
      ReadPassphrase(lock ? "Lock passphrase: " : "Unlock passphrase: ", lock);
  if (!passphrase.ok()) return Fail(passphrase.status());
  absl::Status done = lock ? (*client)->Lock(passphrase->view())
                           : (*client)->Unlock(passphrase->view());
  if (!done.ok()) return Fail(done);
  Print(options.json ? DumpJson({{"locked", lock}})
        : lock       ? "Agent locked.\n"
                     : "Agent unlocked.\n");
  return kExitOk;
}

}  // namespace

int RunLock(const GlobalOptions& options) {
  return RunLockOrUnlock(options, true);
}

int RunUnlock(const GlobalOptions& options) {
  return RunLockOrUnlock(options, false);
}

}  // namespace mcpcred::cli

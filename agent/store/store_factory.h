// Chooses and opens the secret store from `[store] backend`:
//   "secret-service"  the Secret Service through libsecret;
//   "file"            the encrypted file in the state directory;
//   "memory"          process memory, for tests and ephemeral use;
//   "auto"            the Secret Service when one answers on the session bus
//                     within the probe timeout, else the file.
// The choice and its reason go to the log.
#ifndef MCPCRED_AGENT_STORE_STORE_FACTORY_H_
#define MCPCRED_AGENT_STORE_STORE_FACTORY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/store/secret_store.h"

namespace mcpcred {

struct StoreOptions {
  std::string backend = "auto";
  // $XDG_STATE_HOME/mcpcred; "" when it cannot be found.
  std::string state_dir;
  // $CREDENTIALS_DIRECTORY (systemd credentials), or "".
  std::string credentials_dir;
  // Generous: a keyring that was just activated can be slow on a loaded
  // machine, and falling back to the file store then would be a surprise.
  absl::Duration probe_timeout = absl::Seconds(5);
  absl::Duration call_timeout = absl::Seconds(5);
};

// The file store's path in `state_dir`.
std::string FileStorePath(const std::string& state_dir);

// Opens the backend. "auto" may wait up to probe_timeout and starts GLib's
// D-Bus thread: call it after any fork, with signals already blocked.
// A backend that cannot work yet (no keyring running, no state directory, a
// damaged file) still opens, and its calls fail with an error saying what to
// do, so that credentials not kept in the store keep working. Returns
// INVALID_ARGUMENT only for an unknown backend name.
absl::StatusOr<std::unique_ptr<SecretStore>> OpenSecretStore(
    const StoreOptions& options);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_STORE_FACTORY_H_

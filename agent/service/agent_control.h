// What the gRPC service asks of the daemon that owns it: reloading the config,
// describing itself, and the secret store. Keeps the service free of
// process-level concerns.
#ifndef MCPCRED_AGENT_SERVICE_AGENT_CONTROL_H_
#define MCPCRED_AGENT_SERVICE_AGENT_CONTROL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/store/secret_store.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

struct ReloadOutcome {
  size_t credentials = 0;
  std::vector<std::string> errors;  // credentials that failed to load
};

// The secret store as `mcpcred list` shows it: names, never values.
struct StoreListing {
  std::string backend;  // "secret-service", "file" or "memory"
  absl::StatusOr<std::vector<StoreKey>> entries;
};

// Thread-safe.
class AgentControl {
 public:
  virtual ~AgentControl() = default;
  // Re-reads the config. On error the old config keeps serving and the error
  // says what is wrong with the new one.
  virtual absl::StatusOr<ReloadOutcome> Reload() = 0;
  // Fills the daemon-level fields of the status (the service adds counts).
  virtual void DescribeSelf(v1::AgentStatus* status) = 0;

  // The store calls below may block on the store (a D-Bus round trip to
  // the keyring, a file write and fsync): call them from a worker thread,
  // never from a gRPC reactor.

  // Stores `value` as the secret `name`, what `keyring:NAME` reads, and
  // makes the credentials that read it fetch it afresh. `name` is valid.
  virtual absl::Status AddSecret(const std::string& name,
                                 const SecretString& value) = 0;
  // Deletes the secret `name` (OK if absent), likewise.
  virtual absl::Status RemoveSecret(const std::string& name) = 0;
  virtual StoreListing ListStore() = 0;
  // The store's backend name. Never blocks.
  virtual std::string StoreName() = 0;

  // OK, or FAILED_PRECONDITION "agent is locked: run 'mcpcred unlock'".
  // Never blocks.
  virtual absl::Status CheckUnlocked() = 0;
  // Lock and Unlock hash the passphrase (tens of milliseconds), and Unlock
  // waits after a wrong one: call them from a worker thread.
  //
  // Locks the agent (AgentService::Lock). FAILED_PRECONDITION if locked
  // already; INVALID_ARGUMENT for an empty or oversized passphrase.
  virtual absl::Status Lock(const std::string& passphrase) = 0;
  // PERMISSION_DENIED for a wrong passphrase (after a delay; attempts are
  // taken one at a time); FAILED_PRECONDITION if not locked.
  virtual absl::Status Unlock(const std::string& passphrase) = 0;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_AGENT_CONTROL_H_

// How the broker tells others that a credential changed (the Watch stream).
#ifndef MCPCRED_AGENT_BROKER_CREDENTIAL_OBSERVER_H_
#define MCPCRED_AGENT_BROKER_CREDENTIAL_OBSERVER_H_

#include <string>

namespace mcpcred {

// What happened to a credential. The new state itself is read from the broker
// (Broker::View) by whoever handles the change, so that a slow observer can
// coalesce changes and still report the latest state.
enum class CredentialChange {
  kRefreshed,  // a fetch or refresh produced a new value
  kLogin,      // a login produced a new value
  kLogout,     // a logout forgot it
  kRemoved,    // a reload removed it
  kReloaded,   // a reload added it or changed its definition
  kError,      // a fetch failed and no valid value is held
};

// Implementations must be thread-safe and must return quickly: they are
// called on the broker's worker threads, never with a broker lock held.
class CredentialObserver {
 public:
  virtual ~CredentialObserver() = default;
  virtual void OnCredentialChanged(const std::string& name,
                                   CredentialChange change) = 0;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_CREDENTIAL_OBSERVER_H_

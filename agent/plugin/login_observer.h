// What a running login tells the person (through the Login RPC stream), and
// whether they gave up.
#ifndef MCPCRED_AGENT_PLUGIN_LOGIN_OBSERVER_H_
#define MCPCRED_AGENT_PLUGIN_LOGIN_OBSERVER_H_

#include <string>
#include <vector>

namespace mcpcred {

// Thread-safe: called from the login's thread while the RPC's threads may
// cancel.
class LoginObserver {
 public:
  virtual ~LoginObserver() = default;
  virtual void OnOpenUrl(const std::string& url) = 0;
  virtual void OnDeviceCode(const std::string& user_code,
                            const std::string& verification_uri,
                            const std::string& verification_uri_complete,
                            int expires_in) = 0;
  virtual bool Cancelled() const = 0;
  // Scopes the person asked to add for this login (a step-up); none by
  // default.
  virtual std::vector<std::string> Scopes() const { return {}; }
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_PLUGIN_LOGIN_OBSERVER_H_

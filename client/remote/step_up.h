// Step-up authorization: after a 403 with `error="insufficient_scope"`, the
// agent re-authorizes the credential with more scopes (a Login, with the
// person approving in a browser), and the bridge retries.
#ifndef MCPCRED_CLIENT_REMOTE_STEP_UP_H_
#define MCPCRED_CLIENT_REMOTE_STEP_UP_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "mcpcred/client.h"

namespace mcpcred::remote {

class Reauthorizer {
 public:
  virtual ~Reauthorizer() = default;
  // Re-authorizes the credential for `scopes` (every scope the server has
  // challenged for so far, in order; the agent adds those it holds). Returns
  // once the login is done or failed.
  virtual absl::Status Reauthorize(const std::vector<std::string>& scopes) = 0;
};

// A Reauthorizer that runs the agent's Login RPC: events go to stderr, and
// with `open_browser` the login URL to xdg-open.
//
// The scopes travel in LoginRequest's `repeated string scopes` when the
// generated proto has that field (detected at compile time); without it the
// agent logs in with the credential's configured scopes only.
class AgentReauthorizer : public Reauthorizer {
 public:
  AgentReauthorizer(Client* client, std::string name, bool open_browser)
      : client_(client), name_(std::move(name)), open_browser_(open_browser) {}
  absl::Status Reauthorize(const std::vector<std::string>& scopes) override;

  // Whether this build can ask the agent for scopes.
  static bool SendsScopes();

 private:
  Client* client_;
  std::string name_;
  bool open_browser_;
};

// The LoginRequest for re-authorizing `name` with `scopes` (set when the
// proto has the field).
v1::LoginRequest StepUpLoginRequest(const std::string& name,
                                    const std::vector<std::string>& scopes);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_STEP_UP_H_

// The fixture of the OAuth end-to-end suites: the integration fixture (a
// real mcpcred-agent in a private directory, the real CLI) plus the Node
// peers of tests/e2e (a real oidc-provider authorization server, an
// MCP-style protected resource) and the scripted user's browser.
//
// Every agent config also holds a static credential "static", so that each
// test can check the agent still serves the other credentials. Tokens the
// tests see are checked, at the end, to be absent from the agent's logs and
// from the CLI's stderr; failure messages never show them.
#ifndef MCPCRED_TESTS_E2E_OAUTH_FIXTURE_H_
#define MCPCRED_TESTS_E2E_OAUTH_FIXTURE_H_

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/peers.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {

// What `mcpcred login NAME --json` did.
struct LoginRun {
  // The JSON lines it printed, in order.
  std::vector<nlohmann::json> events;
  // Its exit status, all stdout, and stderr.
  CommandResult result;
  // What the user's browser printed (stdout + stderr), if it ran.
  std::string browser;
  // The first event's "event" ("open_url", "device_code"), or "".
  std::string FirstEvent() const;
  // The last event's "event" ("done", "error"), or "".
  std::string LastEvent() const;
  // The error event's message, or "".
  std::string ErrorMessage() const;
};

class OAuthTest : public AgentTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts the peers with `args` (e.g. {"--access-ttl", "5"});
  // "--device-interval 1" is added unless `args` sets it. Adds a failure and
  // returns null when they do not start.
  Peers* StartPeers(std::vector<std::string> args = {});
  Peers* peers() const { return peers_.get(); }

  // A [credential.NAME] table for the oauth2 provider: the peers' resource,
  // scopes mcp:read and offline_access, the Authorization header, and
  // `extra` TOML lines.
  std::string OAuthToml(const std::string& name,
                        const std::string& extra = "") const;
  // Writes the config: [store] backend, the static credential "static" and
  // `credentials`.
  void WriteOAuthConfig(const std::string& credentials,
                        const std::string& backend = "memory");

  // StartAgent(), remembering the agent for the token leak checks.
  AgentProcess* StartOAuthAgent(const Environment& env_overrides = {});

  // Runs `mcpcred login NAME --json --no-browser EXTRA...`. On the first
  // event, `act` plays the user (the browser); then the rest of the output
  // is read and the exit waited for. `act` may be empty (never open it).
  using UserAction = std::function<std::string(const nlohmann::json& event)>;
  LoginRun Login(const std::string& name, const std::vector<std::string>& extra,
                 const UserAction& act);
  // The user's browser approves: `browser.mjs authorize URL` for open_url,
  // `browser.mjs device URI_COMPLETE` for device_code, with `browser_args`.
  static UserAction Browser(std::vector<std::string> browser_args = {});
  // Login(name, extra, Browser()), expecting exit 0 with open_url (or
  // device_code) then done. Returns false (after adding a failure) if not.
  bool LoginOk(const std::string& name,
               const std::vector<std::string>& extra = {});

  // `mcpcred token NAME`, the token noted for the leak checks.
  CommandResult Token(const std::string& name);
  // The token, or "" after adding a failure.
  std::string TokenOrFail(const std::string& name);
  // The resource's HTTP status for a Bearer token (0 if it did not answer).
  long ResourceStatus(const std::string& token);
  // Expects `mcpcred headers static` to serve the static secret.
  void ExpectStaticServed();

  // `text` without any token the test has seen.
  std::string HideTokens(const std::string& text) const;
  std::string ShowResult(const CommandResult& result) const;
  std::string ShowLogin(const LoginRun& run) const;
  // Notes a token for the leak checks.
  void NoteToken(const std::string& token);

  // Authorization server statistics (failing the test if unavailable).
  nlohmann::json AsStats();
  // Successful refresh grants, refresh requests (failed ones too), and
  // refresh-token reuse attempts seen by the authorization server.
  static int RefreshGrants(const nlohmann::json& stats);
  static int RefreshRequests(const nlohmann::json& stats);
  static int ReuseAttempts(const nlohmann::json& stats);

  // Polls `done` every `every` until it is true or the safety `limit`
  // passes; returns its last value.
  static bool PollUntil(const std::function<bool()>& done,
                        absl::Duration limit = absl::Seconds(60),
                        absl::Duration every = absl::Milliseconds(100));

  std::string log_path(const std::string& name) const {
    return base_dir() + "/" + name;
  }

 private:
  std::unique_ptr<Peers> peers_;
  std::vector<AgentProcess*> oauth_agents_;
  std::set<std::string> tokens_;
  std::vector<std::string> cli_stderr_;
};

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_E2E_OAUTH_FIXTURE_H_

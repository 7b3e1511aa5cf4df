// The Node test peers of tests/e2e/README.md, run from C++: the real
// authorization server (oidc-provider) and the MCP-style protected resource
// in one process (peers.mjs), and the scripted user's browser (browser.mjs).
#ifndef MCPCRED_TESTS_E2E_PEERS_H_
#define MCPCRED_TESTS_E2E_PEERS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/streaming_child.h"
#include "tests/integration/run_command.h"

namespace mcpcred::testing {

// Where Node and the peers' scripts are; empty when the suite cannot run
// (with the reason).
std::string NodeBinary();
std::string PeersDir();
// "" when Node and the peers' packages are there, else what is missing and
// how to install it.
std::string PeersUnavailableReason();

// One peers.mjs process, started with --exit-on-stdin-eof. Not thread-safe.
class Peers {
 public:
  // Starts `node peers.mjs ARGS --exit-on-stdin-eof` and waits for its JSON
  // line. Its stderr (the servers' logs) is appended to `log_path`.
  static absl::StatusOr<std::unique_ptr<Peers>> Start(
      const std::vector<std::string>& args, const std::string& log_path);

  Peers(const Peers&) = delete;
  Peers& operator=(const Peers&) = delete;
  ~Peers();

  // The authorization server's issuer, "http://127.0.0.1:A".
  const std::string& issuer() const { return issuer_; }
  // The protected resource, "http://127.0.0.1:B/mcp".
  const std::string& resource() const { return resource_; }
  const nlohmann::json& info() const { return info_; }

  // GET /_test/stats of the authorization server / the resource.
  absl::StatusOr<nlohmann::json> AsStats() const;
  absl::StatusOr<nlohmann::json> ResourceStats() const;
  // POST to the authorization server's control endpoint, e.g.
  // AsControl("fail?count=3&status=500").
  absl::Status AsControl(const std::string& path_and_query) const;

  // Stops the peers (closes their stdin, then SIGKILL past a bound): the
  // authorization server and the resource are down afterwards.
  void Stop();
  bool Running();

  std::string Log() const { return ReadFileOrEmpty(log_path_); }

 private:
  Peers() = default;

  std::unique_ptr<StreamingChild> child_;
  std::string log_path_;
  nlohmann::json info_;
  std::string issuer_;
  std::string resource_;
  std::string as_test_;
  std::string resource_test_;
};

// Runs `node browser.mjs ARGS` (a safety bound of 60 s).
CommandResult RunBrowser(const std::vector<std::string>& args);

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_E2E_PEERS_H_

// Runs tests/peers/github_app_standin.js (the local GitHub stand-in) for the
// length of a test.
#ifndef MCPCRED_TESTS_PLUGINS_GITHUB_APP_STANDIN_PROCESS_H_
#define MCPCRED_TESTS_PLUGINS_GITHUB_APP_STANDIN_PROCESS_H_

#include <sys/types.h>

#include <string>

#include "nlohmann/json.hpp"

namespace mcpcred {

class StandinProcess {
 public:
  // Starts node with the script; returns once it prints its port. On failure
  // port() is 0.
  StandinProcess(const std::string& public_key_path, int ttl_seconds);
  ~StandinProcess();  // SIGTERM and reap

  int port() const { return port_; }
  std::string api_url() const;
  // GET /_stats, or null on failure.
  nlohmann::json Stats() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// Writes a fresh RSA-2048 key pair as PEM: private 0600, public 0644.
bool WriteRsaKeyPair(const std::string& private_path,
                     const std::string& public_path);
// Writes a P-256 EC private key (not usable as a GitHub App key).
bool WriteEcKey(const std::string& path);

}  // namespace mcpcred

#endif  // MCPCRED_TESTS_PLUGINS_GITHUB_APP_STANDIN_PROCESS_H_

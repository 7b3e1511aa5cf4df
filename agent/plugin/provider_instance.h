// One credential's provider: a plugin instance created from that credential's
// config, with its own host context.
#ifndef MCPCRED_AGENT_PLUGIN_PROVIDER_INSTANCE_H_
#define MCPCRED_AGENT_PLUGIN_PROVIDER_INSTANCE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/plugin/host_services.h"
#include "agent/plugin/login_observer.h"
#include "agent/plugin/plugin_library.h"
#include "mcpcred/common/secret_string.h"
#include "nlohmann/json.hpp"

namespace mcpcred {

class RedactionRegistry;

// What a provider fetched: template variables ("secret", "access_token", ...),
// the primary token, and when it expires (nullopt: never).
struct FetchedToken {
  std::map<std::string, SecretString> variables;
  SecretString token;
  std::optional<absl::Time> expires_at;
};

// Not thread-safe: the broker never calls Fetch() twice at once on one
// instance (single-flight).
class ProviderInstance {
 public:
  // Calls the plugin's create(). On failure returns the plugin's error and,
  // when the plugin named a config key, stores it in *error_key.
  // `redaction` (may be null) learns every secret the plugin reads or stores
  // through the host and scrubs every message the plugin sends.
  static absl::StatusOr<std::unique_ptr<ProviderInstance>> Create(
      std::shared_ptr<const PluginLibrary> library,
      const std::string& credential, const nlohmann::json& config,
      SecretStore* store, const Clock* clock, std::string* error_key,
      RedactionRegistry* redaction = nullptr);
  ~ProviderInstance();
  ProviderInstance(const ProviderInstance&) = delete;
  ProviderInstance& operator=(const ProviderInstance&) = delete;

  // Acquires a fresh credential. May block on I/O: call from a worker thread.
  // Returns INTERNAL if the plugin reported success but set no variable, and
  // RESOURCE_EXHAUSTED "credential \"NAME\": ..." (sizes, never the value) if
  // it set a value over the host's caps (host_services.h), whatever it
  // returned. Login() likewise.
  absl::StatusOr<FetchedToken> Fetch();

  // Runs the provider's interactive login, reporting to `observer`; returns
  // the fresh credential. FAILED_PRECONDITION if the provider has no login.
  // Blocks until the person finishes, cancels or the login times out.
  absl::StatusOr<FetchedToken> Login(LoginObserver* observer,
                                     bool prefer_device);
  // Forgets the login (revoking where it can). Idempotent.
  absl::Status Logout();

  const PluginLibrary& library() const { return *library_; }

 private:
  // `status` with every held secret scrubbed from its message.
  absl::Status Scrubbed(absl::Status status) const;

  ProviderInstance(std::shared_ptr<const PluginLibrary> library,
                   std::unique_ptr<mcpcred_host_ctx> host)
      : library_(std::move(library)), host_(std::move(host)) {}

  std::shared_ptr<const PluginLibrary> library_;  // outlives instance_
  std::unique_ptr<mcpcred_host_ctx> host_;
  void* instance_ = nullptr;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_PLUGIN_PROVIDER_INSTANCE_H_

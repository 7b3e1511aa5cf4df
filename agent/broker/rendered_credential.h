// A credential as handed out: the provider's token with the credential's env
// and header templates filled in.
#ifndef MCPCRED_AGENT_BROKER_RENDERED_CREDENTIAL_H_
#define MCPCRED_AGENT_BROKER_RENDERED_CREDENTIAL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/config/config.h"
#include "agent/plugin/provider_instance.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {

struct RenderedCredential {
  std::string name;
  std::map<std::string, SecretString> env;
  std::map<std::string, SecretString> headers;
  SecretString token;
  std::optional<absl::Time> expires_at;  // nullopt: never expires
  // The env keys and header names this credential fills, sorted.
  std::vector<std::string> secret_env_keys;
  std::vector<std::string> secret_header_names;
  // The provider's variable values: what Redact() looks for.
  std::vector<SecretString> secret_values;
  // Unique within the agent's lifetime and larger for every later value:
  // lets a client name the value its server rejected (force_refresh).
  uint64_t version = 0;

  // True if still valid `min_ttl` from `now`.
  bool ValidFor(absl::Time now, absl::Duration min_ttl) const {
    return !expires_at.has_value() || *expires_at - now > min_ttl;
  }
};

// Fills the templates of `config` from `token` and gives the result the next
// version number. Returns INTERNAL naming the
// credential and variable if the provider did not set a variable a template
// uses, or if a rendered value contains a NUL, CR or LF (which would let a
// token smuggle extra headers or env entries). Never includes a value.
absl::StatusOr<RenderedCredential> RenderCredential(
    const config::CredentialConfig& config, FetchedToken token);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_BROKER_RENDERED_CREDENTIAL_H_

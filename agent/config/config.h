// The agent's typed configuration, loaded from TOML and validated once here at
// the boundary. Everything past this layer works with these structs only.
//
// File layout:
//   [credential.NAME]          NAME is [A-Za-z0-9._-]{1,64}
//   provider = "static"        a provider the agent has loaded
//   env = { KEY = "tmpl" }     KEY is [A-Za-z_][A-Za-z0-9_]*
//   headers = { Name = "tmpl" } Name is an RFC 9110 token
//   lifetime = "8h"            forget what was obtained after this long
//   forward = false            keep it off the extra (forwarding) socket
//   allow, confirm, confirm_timeout  who may have it (caller_policy.h)
//   <provider keys>            checked against the provider's schema
//
// Thread-safety: plain values, no synchronisation.
#ifndef MCPCRED_AGENT_CONFIG_CONFIG_H_
#define MCPCRED_AGENT_CONFIG_CONFIG_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/config/caller_policy.h"
#include "agent/config/env_expand.h"
#include "agent/config/template.h"
#include "nlohmann/json.hpp"

namespace mcpcred::config {

enum class FieldType {
  kString,
  kSecretRef,  // "env:VAR" | "file:PATH" | "keyring:NAME"; literals refused
  kInteger,
  kBoolean,
  kStringArray,
  kStringTable,
};

struct FieldSchema {
  std::string name;
  FieldType type = FieldType::kString;
  bool required = false;
  std::string help;
};

// What the loader needs to know about a provider to validate a credential.
struct ProviderSchema {
  std::string name;
  std::vector<FieldSchema> fields;
  std::vector<std::string> variables;  // names templates may use
};

// Returns the schema of a provider, or nullptr if no such provider is loaded.
using SchemaLookup =
    std::function<const ProviderSchema*(const std::string& provider)>;

struct CredentialConfig {
  std::string name;
  std::string provider;
  int line = 0;  // line of the [credential.NAME] header
  // The provider keys (everything but provider/env/headers), with ${VAR}
  // already expanded, as a JSON object for the plugin's create().
  nlohmann::json provider_config = nlohmann::json::object();
  std::map<std::string, Template> env;
  std::map<std::string, Template> headers;
  // `lifetime`: this long after the agent obtained the credential (its first
  // fetch or login since it was loaded), it forgets the cached token and the
  // provider instance with whatever it holds in memory; the secret store is
  // left alone. nullopt: the agent's -t default, if any.
  std::optional<absl::Duration> lifetime;
  // `forward = false`: the extra socket (mcpcred-agent --extra-socket)
  // neither lists nor hands out this credential.
  bool forward = true;
  // Who may have the credential; enforced by the agent, not the provider.
  CallerPolicy policy;
  // Line of each key in the table, to point errors from create() at a line.
  std::map<std::string, int> key_lines;
  // The ${VAR} values expanded into this credential's keys, so that errors
  // from its provider can show the references instead (HideExpansions).
  std::vector<Expansion> expansions;
  // Not OK when this credential failed validation; the others still load. The
  // message names the file, the line and the key.
  absl::Status error;
};

struct AgentConfig {
  std::string path;
  std::vector<CredentialConfig> credentials;  // sorted by name
  // [store] backend: "auto", "secret-service", "file" or "memory".
  std::string store_backend = "auto";
};

// Parses and validates the TOML text. `path` is used in messages only.
// `known_providers` (the names `schemas` knows) is only listed in the error
// for an unknown provider, since a SchemaLookup cannot enumerate.
// Returns INVALID_ARGUMENT "PATH:LINE: ..." for a syntax error, an unknown
// top-level table or a bad [store] table. Problems inside one [credential.NAME]
// table (unknown key, wrong type, missing required key, unknown provider, a
// literal secret where a reference is required, an unset ${VAR}, a template
// using an unknown variable) do not fail the load: they set that credential's
// `error` to "PATH:LINE: credential \"NAME\": key \"KEY\": what is wrong".
absl::StatusOr<AgentConfig> ParseConfig(
    const std::string& toml_text, const std::string& path,
    const SchemaLookup& schemas,
    const std::vector<std::string>& known_providers = {});

// Reads the file and parses it. Returns NOT_FOUND naming the path if the file
// does not exist, PERMISSION_DENIED if unreadable or if another user could
// have written it (see ReadConfigText).
absl::StatusOr<AgentConfig> LoadConfigFile(
    const std::string& path, const SchemaLookup& schemas,
    const std::vector<std::string>& known_providers = {});

// Formats "PATH:LINE: credential \"NAME\": key \"KEY\": message" for an error
// raised after loading (e.g. by a plugin's create()), using key_lines.
std::string DescribeKeyError(const std::string& path,
                             const CredentialConfig& credential,
                             const std::string& key,
                             const std::string& message);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_CONFIG_H_

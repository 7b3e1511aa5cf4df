// The environment mcpcred-exec gives COMMAND.
#ifndef MCPCRED_CLIENT_EXEC_EXEC_ENV_H_
#define MCPCRED_CLIENT_EXEC_EXEC_ENV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred::exec {

// The variable naming the env keys that hold secrets, comma-separated, so a
// server (or a host reading its environment) knows what to keep out of logs
// and subagents.
inline constexpr char kSecretKeysVariable[] = "MCPCRED_SECRET_KEYS";

// Copies a NULL-terminated environ array.
std::vector<std::string> EnvironToVector(char** environ_array);

// The sorted, de-duplicated union of `inherited` (a MCPCRED_SECRET_KEYS value
// already in the environment, "" if none) and every credential's
// secret_env_keys, joined by commas. The inherited keys count because a
// nested mcpcred-exec keeps the outer one's secrets in the environment.
std::string SecretKeysValue(const std::vector<v1::Credential>& credentials,
                            const std::string& inherited);

// The variable naming the agent's socket. COMMAND does not get it unless
// asked for: with it, COMMAND could ask the agent for every other credential.
inline constexpr char kSocketVariable[] = "MCPCRED_SOCK";

// `inherited` (KEY=VALUE entries, order kept) with each credential's env
// merged in: a credential's value replaces an inherited one, and a later
// credential's replaces an earlier one's. Then MCPCRED_SECRET_KEYS is set
// (see SecretKeysValue), and MCPCRED_SOCK is set to `pass_socket_path`, or
// removed when that is empty. New keys are appended in credential order,
// each credential's keys sorted.
//
// Returns INTERNAL if a credential has an env key that is empty or holds '='
// or NUL, or a value that holds NUL: exec would silently mangle it. Returns
// PERMISSION_DENIED if a credential sets a key that changes how programs load
// or run (IsDeniedEnvKey: LD_PRELOAD, PATH, PYTHONPATH, NODE_OPTIONS, ...),
// whatever the agent says. Error messages name keys and credentials, never
// values.
absl::StatusOr<std::vector<std::string>> BuildEnvironment(
    const std::vector<std::string>& inherited,
    const std::vector<v1::Credential>& credentials,
    const std::string& pass_socket_path);

}  // namespace mcpcred::exec

#endif  // MCPCRED_CLIENT_EXEC_EXEC_ENV_H_

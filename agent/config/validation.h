// The config rules that do not depend on TOML: name syntaxes, secret
// references, template checks and the error format. Kept apart from the
// loader so that each piece stays small and testable on its own.
//
// Thread-safe: pure functions.
#ifndef MCPCRED_AGENT_CONFIG_VALIDATION_H_
#define MCPCRED_AGENT_CONFIG_VALIDATION_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/config/config.h"
#include "agent/config/template.h"

namespace mcpcred::config {

// [A-Za-z0-9._-]{1,64}: safe in file names, keyring labels and audit lines.
bool IsValidCredentialName(absl::string_view name);

// [A-Za-z_][A-Za-z0-9_]*, what a POSIX shell accepts as a variable name.
bool IsValidEnvName(absl::string_view name);

// An RFC 9110 token (1*tchar), the syntax of an HTTP header field name.
bool IsHttpToken(absl::string_view name);

// Returns INVALID_ARGUMENT unless `name` can be an environment variable name
// that a credential may set: not one that changes how programs load or run
// (IsDeniedEnvKey, mcpcred/common/env_denylist.h).
absl::Status CheckEnvKey(absl::string_view name);

// Returns INVALID_ARGUMENT unless `name` is an HTTP header name that is not
// already in `seen`, compared case-insensitively as HTTP does.
absl::Status CheckHeaderKey(absl::string_view name,
                            const std::map<std::string, Template>& seen);

// The field of `schema` called `name`, or nullptr.
const FieldSchema* FindField(const ProviderSchema& schema,
                             absl::string_view name);

// Every key a credential of this provider may have, for "valid keys" lists.
std::vector<std::string> ValidKeys(const ProviderSchema& schema);

// Returns OK if `ref` is "env:VAR", "file:PATH" or "keyring:NAME" with a
// non-empty rest and no NUL character. Otherwise INVALID_ARGUMENT saying what
// to write instead; the message never contains `ref`, which may be a pasted
// secret.
absl::Status CheckSecretRef(absl::string_view ref);

// Parses `expanded`, the value template `raw` after ${VAR} expansion, and
// checks that it uses only `allowed` variables. Returns INVALID_ARGUMENT
// naming the bad variable and listing the allowed ones; nothing that came
// from the environment is named.
absl::StatusOr<Template> ParseValueTemplate(
    const std::string& raw, const std::string& expanded,
    const std::vector<std::string>& allowed);

// "PATH:LINE: credential \"NAME\": key \"KEY\": message"; the key part is
// left out when `key` is empty. NAME and KEY are C-escaped.
std::string FormatCredentialError(absl::string_view path, int line,
                                  absl::string_view name, absl::string_view key,
                                  absl::string_view message);

// `items` as "a, b, c" (or "none" when empty), for "expected one of" lists.
std::string JoinOrNone(const std::vector<std::string>& items);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_VALIDATION_H_

// How the `mcpcred` CLI prints agent answers: a human form and a --json form
// of each. Pure functions of their inputs (the current time included), so the
// exact output is tested without an agent.
#ifndef MCPCRED_CLIENT_CLI_OUTPUT_H_
#define MCPCRED_CLIENT_CLI_OUTPUT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "mcpcred/v1/agent.pb.h"
#include "nlohmann/json.hpp"

namespace mcpcred::cli {

// Serializes `value` followed by a newline. `indent` < 0 means one line.
// Invalid UTF-8 is replaced rather than thrown on: output must never abort.
std::string DumpJson(const nlohmann::json& value, int indent = 2);

// "2024-05-01T12:00:00Z" (fractional seconds only when present).
std::string Rfc3339(const google::protobuf::Timestamp& timestamp);
// "in 120s", "expired 5s ago", or "never" when `has_expiry` is false.
std::string FormatExpiry(bool has_expiry,
                         const google::protobuf::Timestamp& expires_at,
                         absl::Time now);
// "ready", "login_required", "error", or "unknown".
std::string StateName(v1::CredentialInfo::State state);

std::string FormatStatus(const v1::AgentStatus& status);
nlohmann::json StatusJson(const v1::AgentStatus& status);

// One line a credential, columns aligned; the last error, if any, ends it.
// Then what the secret store holds (FormatStoredEntries).
std::string FormatCredentialList(const v1::ListCredentialsResponse& list,
                                 absl::Time now);
// Each credential's name on a line of its own, nothing else.
std::string FormatCredentialNames(const v1::ListCredentialsResponse& list);
// Each credential also gets "stored" (the kinds the store holds under its
// name) when the agent listed its store.
nlohmann::json CredentialListJson(const v1::ListCredentialsResponse& list);
// The store part of `mcpcred list`: every entry's name, kind and scope,
// sorted, or why the store could not be listed; "" when the agent sent no
// store. `blank_line` separates it from the credentials above.
std::string FormatStoredEntries(const v1::ListCredentialsResponse& list,
                                bool blank_line);
// "secret", "refresh token", "client registration": a kind for people.
std::string StoreKindName(absl::string_view kind);

std::string FormatToken(const v1::Credential& credential);
nlohmann::json TokenJson(const v1::Credential& credential);

// KEY=VALUE lines, sorted by key.
std::string FormatEnv(const v1::Credential& credential);
nlohmann::json EnvJson(const v1::Credential& credential);

// "Name: value" lines, sorted by name.
std::string FormatHeaders(const v1::Credential& credential);
nlohmann::json HeadersJson(const v1::Credential& credential);

// Env keys, then header names, one a line.
std::string FormatSecretKeys(const v1::GetSecretKeysResponse& keys);
nlohmann::json SecretKeysJson(const v1::GetSecretKeysResponse& keys);

nlohmann::json RedactJson(const v1::RedactResponse& response);

// "reloaded: N credentials", then each error on its own line.
std::string FormatReload(const v1::ReloadResponse& response);
nlohmann::json ReloadJson(const v1::ReloadResponse& response);

// The lines a person reads for one login event ("" for an empty event).
std::string FormatLoginEvent(const v1::LoginEvent& event);
// {"event": ...}; null for an event this CLI does not know (a newer agent).
nlohmann::json LoginEventJson(const v1::LoginEvent& event);
nlohmann::json LoginErrorJson(absl::string_view message);

}  // namespace mcpcred::cli

#endif  // MCPCRED_CLIENT_CLI_OUTPUT_H_

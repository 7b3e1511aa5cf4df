#include "exec_env.h"

#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "mcpcred/common/env_denylist.h"

namespace mcpcred::exec {
namespace {

// The key of a KEY=VALUE entry; the whole entry if it has no '='.
std::string KeyOf(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

absl::Status CheckEntry(const v1::Credential& credential,
                        const std::string& key, const std::string& value) {
  if (key.empty() || key.find('=') != std::string::npos ||
      key.find('\0') != std::string::npos) {
    return absl::InternalError(
        absl::StrCat("credential \"", credential.name(),
                     "\" has an invalid environment variable name \"",
                     absl::StrJoin(absl::StrSplit(key, '\0'), "\\0"), "\""));
  }
  if (value.find('\0') != std::string::npos) {
    return absl::InternalError(
        absl::StrCat("credential \"", credential.name(),
                     "\" has a NUL byte in the value of ", key));
  }
  // The agent refuses these at load too; this side does not trust it to.
  if (IsDeniedEnvKey(key)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "refusing ", key, " from credential \"", credential.name(),
        "\": it changes how programs load or run, and a credential may not "
        "set it; COMMAND was not started"));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> EnvironToVector(char** environ_array) {
  std::vector<std::string> entries;
  for (char** entry = environ_array; entry != nullptr && *entry != nullptr;
       ++entry) {
    entries.emplace_back(*entry);
  }
  return entries;
}

std::string SecretKeysValue(const std::vector<v1::Credential>& credentials,
                            const std::string& inherited) {
  std::set<std::string> keys;
  for (absl::string_view key : absl::StrSplit(inherited, ',')) {
    if (!key.empty()) keys.emplace(key);
  }
  for (const v1::Credential& credential : credentials) {
    for (const std::string& key : credential.secret_env_keys()) {
      if (!key.empty()) keys.insert(key);
    }
  }
  return absl::StrJoin(keys, ",");
}

absl::StatusOr<std::vector<std::string>> BuildEnvironment(
    const std::vector<std::string>& inherited,
    const std::vector<v1::Credential>& credentials,
    const std::string& pass_socket_path) {
  std::vector<std::string> environment;
  std::unordered_map<std::string, size_t> index_of_key;
  // Sets KEY=VALUE in place of the inherited entry, if any.
  auto set = [&](const std::string& key, const std::string& value) {
    std::string entry = absl::StrCat(key, "=", value);
    auto [it, inserted] = index_of_key.emplace(key, environment.size());
    if (inserted) {
      environment.push_back(std::move(entry));
    } else {
      environment[it->second] = std::move(entry);
    }
  };
  std::string inherited_secret_keys;
  for (const std::string& entry : inherited) {
    std::string key = KeyOf(entry);
    // A key inherited twice keeps its first entry only (the one getenv()
    // reads): a later duplicate would survive the override with a stale value.
    if (!index_of_key.emplace(key, environment.size()).second) continue;
    if (key == kSocketVariable) {
      index_of_key.erase(key);
      continue;
    }
    environment.push_back(entry);
    if (key == kSecretKeysVariable && entry.size() > key.size()) {
      inherited_secret_keys = entry.substr(key.size() + 1);
    }
  }
  for (const v1::Credential& credential : credentials) {
    // Proto maps have no order; sorting keeps the result deterministic.
    std::map<std::string, std::string> env(credential.env().begin(),
                                           credential.env().end());
    for (const auto& [key, value] : env) {
      absl::Status valid = CheckEntry(credential, key, value);
      if (!valid.ok()) return valid;
      set(key, value);
    }
  }
  set(kSecretKeysVariable, SecretKeysValue(credentials, inherited_secret_keys));
  if (!pass_socket_path.empty()) set(kSocketVariable, pass_socket_path);
  return environment;
}

}  // namespace mcpcred::exec

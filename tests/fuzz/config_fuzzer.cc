// Fuzzes mcpcred::config::ParseConfig (agent/config/config.h): the whole
// input is the TOML text of a config file. It is parsed twice, with a lookup
// that knows only a "static"-like provider and with one that knows four
// providers shaped like the real ones (github-app's schema has a field of
// every FieldType). A few environment variables hold canary values so that
// ${VAR} expansion is exercised and any error that shows an expanded value
// is caught.
//
// Invariants:
//  - errors (the file's and each credential's) are INVALID_ARGUMENT, start
//    with "PATH:", are one line of valid UTF-8 (they travel in proto3
//    string fields) and never show an environment value that the file
//    itself does not contain;
//  - a credential without an error is fully valid: its name, a known
//    provider, every required key, only schema keys with values of the
//    declared type, secret references and not literals, env keys that are
//    variable names, header names that are tokens without a duplicate, and
//    templates that use only the provider's variables and render;
//  - credentials come sorted by name; [store] backend is a known one;
//  - the two lookups agree on everything that does not depend on them.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "agent/config/config.h"
#include "agent/config/template.h"
#include "agent/config/validation.h"
#include "nlohmann/json.hpp"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/render_plain.h"

namespace {

using mcpcred::config::AgentConfig;
using mcpcred::config::CredentialConfig;
using mcpcred::config::FieldSchema;
using mcpcred::config::FieldType;
using mcpcred::config::ProviderSchema;
using mcpcred::config::SchemaLookup;
using mcpcred::config::Template;
using mcpcred::fuzz::Contains;
using mcpcred::fuzz::Escape;
using mcpcred::fuzz::RenderPlain;

constexpr char kPath[] = "fuzz.toml";

const ProviderSchema& StaticSchema() {
  static const ProviderSchema* schema = new ProviderSchema{
      "static",
      {{"secret", FieldType::kSecretRef, true,
        "where the secret is: env:VAR, file:PATH or keyring:NAME"}},
      {"secret"}};
  return *schema;
}

// github-app's keys: one field of every FieldType.
const ProviderSchema& GithubAppSchema() {
  static const ProviderSchema* schema = new ProviderSchema{
      "github-app",
      {{"app_id", FieldType::kInteger, true, "the GitHub App's numeric id"},
       {"installation_id", FieldType::kInteger, true, "the installation's id"},
       {"private_key", FieldType::kSecretRef, true, "the App's PEM key"},
       {"api_url", FieldType::kString, false, "GitHub Enterprise API URL"},
       {"permissions", FieldType::kStringTable, false, "down-scoping"},
       {"repositories", FieldType::kStringArray, false, "down-scoping"},
       {"allow_private_network", FieldType::kBoolean, false, ""}},
      {"access_token"}};
  return *schema;
}

const ProviderSchema& OAuth2Schema() {
  static const ProviderSchema* schema = new ProviderSchema{
      "oauth2",
      {{"resource", FieldType::kString, false, "the MCP server URL"},
       {"client_id", FieldType::kString, false, ""},
       {"client_secret", FieldType::kSecretRef, false, ""},
       {"scopes", FieldType::kStringArray, false, "scopes to ask for"},
       {"grant", FieldType::kString, false, ""},
       {"send_resource", FieldType::kBoolean, false, ""},
       {"login_timeout_seconds", FieldType::kInteger, false, ""}},
      {"access_token", "token_type"}};
  return *schema;
}

const ProviderSchema& CommandSchema() {
  static const ProviderSchema* schema = new ProviderSchema{
      "command",
      {{"command", FieldType::kStringArray, true, "argv of the command"},
       {"timeout_seconds", FieldType::kInteger, false, ""},
       {"working_directory", FieldType::kString, false, ""}},
      {"access_token", "token_type"}};
  return *schema;
}

const ProviderSchema* StaticOnly(const std::string& name) {
  return name == "static" ? &StaticSchema() : nullptr;
}

const ProviderSchema* AllProviders(const std::string& name) {
  for (const ProviderSchema* schema : {&StaticSchema(), &GithubAppSchema(),
                                       &OAuth2Schema(), &CommandSchema()}) {
    if (schema->name == name) return schema;
  }
  return nullptr;
}

// Environment variables the config may reference with ${VAR}. A canary is
// a part of the value that no error may show unless the file has it too.
struct EnvVar {
  const char* name;
  const char* value;
  const char* canary;  // nullptr: the value is not secret
};
constexpr EnvVar kEnv[] = {
    {"FZ_SECRET", "zqSekr1tValue-9", "zqSekr1tValue"},
    {"FZ_VAR", "{leakvar}", "leakvar"},        // an unknown variable
    {"FZ_BADVAR", "{LeakBad}", "LeakBad"},     // an invalid variable name
    {"FZ_BRACE", "x}leakbrace", "leakbrace"},  // a lone "}"
    {"FZ_OPEN", "{leakopen", "leakopen"},      // an unclosed "{"
    {"FZ_LITERAL", "ghp_leakLiteralTok", "leakLiteralTok"},  // not a ref
    {"FZ_REF", "keyring:fz", nullptr},
    {"FZ_PROVIDER", "static", nullptr},
    {"FZ_TEMPLATE", "Bearer {secret}", nullptr},
    {"FZ_NESTED", "${FZ_SECRET}", nullptr},  // expanded once only
    {"FZ_EMPTY", "", nullptr},
};

void SetUpEnvironment() {
  static const bool done = [] {
    for (const EnvVar& var : kEnv) setenv(var.name, var.value, 1);
    return true;
  }();
  (void)done;
}

void CheckMessage(std::string_view message, std::string_view input,
                  const char* what) {
  const std::string prefix = std::string(kPath) + ":";
  FUZZ_CHECK("config-error-names-file", message.rfind(prefix, 0) == 0,
             std::string(what) + " error does not start with \"" + prefix +
                 "\": " + Escape(message));
  FUZZ_CHECK("config-error-one-line", !mcpcred::fuzz::HasNewline(message),
             std::string(what) + " error is not one line: " + Escape(message));
  FUZZ_CHECK(
      "config-error-utf8", mcpcred::fuzz::IsValidUtf8(message),
      std::string(what) + " error is not valid UTF-8: " + Escape(message));
  for (const EnvVar& var : kEnv) {
    if (var.canary == nullptr || Contains(input, var.canary)) continue;
    FUZZ_CHECK("config-error-shows-env-value", !Contains(message, var.canary),
               std::string(what) + " error shows the value of $" + var.name +
                   ": " + Escape(message));
  }
}

bool HasType(const nlohmann::json& value, FieldType type) {
  auto all_strings = [](const nlohmann::json& container) {
    return std::all_of(
        container.begin(), container.end(),
        [](const nlohmann::json& item) { return item.is_string(); });
  };
  switch (type) {
    case FieldType::kString:
      return value.is_string();
    case FieldType::kSecretRef:
      return value.is_string() &&
             mcpcred::config::CheckSecretRef(value.get<std::string>()).ok();
    case FieldType::kInteger:
      return value.is_number_integer();
    case FieldType::kBoolean:
      return value.is_boolean();
    case FieldType::kStringArray:
      return value.is_array() && all_strings(value);
    case FieldType::kStringTable:
      return value.is_object() && all_strings(value);
  }
  return false;
}

void CheckTemplates(const CredentialConfig& credential,
                    const std::map<std::string, Template>& templates,
                    const ProviderSchema& schema, bool is_env) {
  std::map<std::string, std::string> values;
  for (const std::string& variable : schema.variables) {
    values[variable] = "<" + variable + ">";
  }
  std::vector<std::string> seen;
  for (const auto& [key, tmpl] : templates) {
    if (is_env) {
      FUZZ_CHECK("config-env-key-valid", mcpcred::config::IsValidEnvName(key),
                 "credential " + Escape(credential.name) +
                     " accepted env key " + Escape(key));
    } else {
      FUZZ_CHECK("config-header-key-valid", mcpcred::config::IsHttpToken(key),
                 "credential " + Escape(credential.name) + " accepted header " +
                     Escape(key));
      const std::string lower = absl::AsciiStrToLower(key);
      FUZZ_CHECK("config-header-no-duplicate",
                 std::find(seen.begin(), seen.end(), lower) == seen.end(),
                 "credential " + Escape(credential.name) + " accepted header " +
                     Escape(key) + " twice");
      seen.push_back(lower);
    }
    for (const std::string& variable : tmpl.variables()) {
      FUZZ_CHECK("config-template-variable-known",
                 std::find(schema.variables.begin(), schema.variables.end(),
                           variable) != schema.variables.end(),
                 "template " + Escape(tmpl.source()) + " of " + Escape(key) +
                     " uses " + Escape(variable) + ", unknown to " +
                     schema.name);
    }
    absl::StatusOr<std::string> rendered = RenderPlain(tmpl, values);
    FUZZ_CHECK("config-template-renders", rendered.ok(),
               "template " + Escape(tmpl.source()) + " does not render: " +
                   std::string(rendered.status().message()));
  }
}

void CheckCredential(const CredentialConfig& credential,
                     const SchemaLookup& lookup, std::string_view input) {
  if (!credential.error.ok()) {
    FUZZ_CHECK("config-error-code",
               credential.error.code() == absl::StatusCode::kInvalidArgument,
               "credential error with code " + credential.error.ToString());
    CheckMessage(std::string(credential.error.message()), input, "credential");
    return;
  }
  const std::string who = "valid credential " + Escape(credential.name);
  FUZZ_CHECK("config-name-valid",
             mcpcred::config::IsValidCredentialName(credential.name),
             who + " has an invalid name");
  const ProviderSchema* schema = lookup(credential.provider);
  FUZZ_CHECK("config-provider-known", schema != nullptr,
             who + " has unknown provider " + Escape(credential.provider));
  if (schema == nullptr) return;
  FUZZ_CHECK("config-line-set", credential.line > 0,
             who + " has line " + std::to_string(credential.line));
  FUZZ_CHECK("config-provider-config-object",
             credential.provider_config.is_object(),
             who + " has a provider_config that is not an object");
  for (const FieldSchema& field : schema->fields) {
    FUZZ_CHECK(
        "config-required-present",
        !field.required || credential.provider_config.contains(field.name),
        who + " lacks required key " + field.name);
  }
  for (const auto& [key, value] : credential.provider_config.items()) {
    const FieldSchema* field = mcpcred::config::FindField(*schema, key);
    FUZZ_CHECK("config-key-in-schema", field != nullptr,
               who + " has key " + Escape(key) + " outside the schema");
    if (field == nullptr) continue;
    FUZZ_CHECK(
        "config-value-type", HasType(value, field->type),
        who + ": key " + key + " has value " +
            Escape(value.dump(-1, ' ', false,
                              nlohmann::json::error_handler_t::replace)) +
            " of the wrong type (or a literal secret)");
  }
  for (const auto& [key, line] : credential.key_lines) {
    FUZZ_CHECK(
        "config-key-line-set", line > 0,
        who + ": key " + Escape(key) + " has line " + std::to_string(line));
  }
  CheckTemplates(credential, credential.env, *schema, /*is_env=*/true);
  CheckTemplates(credential, credential.headers, *schema, /*is_env=*/false);
}

void CheckConfig(const absl::StatusOr<AgentConfig>& config,
                 const SchemaLookup& lookup, std::string_view input) {
  if (!config.ok()) {
    FUZZ_CHECK("config-error-code",
               config.status().code() == absl::StatusCode::kInvalidArgument,
               "file error with code " + config.status().ToString());
    CheckMessage(std::string(config.status().message()), input, "file");
    return;
  }
  FUZZ_CHECK("config-path-kept", config->path == kPath, "path changed");
  const std::string& backend = config->store_backend;
  FUZZ_CHECK("config-store-backend-known",
             backend == "auto" || backend == "secret-service" ||
                 backend == "file" || backend == "memory",
             "store backend " + Escape(backend));
  const auto& credentials = config->credentials;
  for (size_t i = 0; i < credentials.size(); ++i) {
    if (i > 0) {
      FUZZ_CHECK("config-credentials-sorted",
                 credentials[i - 1].name < credentials[i].name,
                 "credentials " + Escape(credentials[i - 1].name) + " and " +
                     Escape(credentials[i].name) + " out of order");
    }
    CheckCredential(credentials[i], lookup, input);
  }
}

// What does not depend on the lookup must not change with it.
void CheckAgree(const absl::StatusOr<AgentConfig>& a,
                const absl::StatusOr<AgentConfig>& b) {
  FUZZ_CHECK("config-lookups-agree", a.ok() == b.ok(),
             "one lookup fails the file, the other does not: " +
                 (a.ok() ? b.status().ToString() : a.status().ToString()));
  if (!a.ok() || !b.ok()) {
    FUZZ_CHECK("config-lookups-agree", a.status() == b.status(),
               "file errors differ: " + a.status().ToString() + " vs " +
                   b.status().ToString());
    return;
  }
  FUZZ_CHECK("config-lookups-agree",
             a->credentials.size() == b->credentials.size() &&
                 a->store_backend == b->store_backend,
             "credential count or store backend differ");
  if (a->credentials.size() != b->credentials.size()) return;
  for (size_t i = 0; i < a->credentials.size(); ++i) {
    const CredentialConfig& x = a->credentials[i];
    const CredentialConfig& y = b->credentials[i];
    FUZZ_CHECK("config-lookups-agree", x.name == y.name,
               "credential names differ");
    if (x.provider != "static" || y.provider != "static") continue;
    FUZZ_CHECK("config-lookups-agree",
               x.error == y.error && x.provider_config == y.provider_config &&
                   x.env.size() == y.env.size() &&
                   x.headers.size() == y.headers.size(),
               "static credential " + Escape(x.name) +
                   " differs between lookups: " + x.error.ToString() + " vs " +
                   y.error.ToString());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SetUpEnvironment();
  if (size > 64 * 1024) return 0;  // a config is small; keep runs fast
  const std::string text(mcpcred::fuzz::AsText(data, size));
  const SchemaLookup static_only = StaticOnly;
  const SchemaLookup all = AllProviders;
  absl::StatusOr<AgentConfig> a =
      mcpcred::config::ParseConfig(text, kPath, static_only, {"static"});
  CheckConfig(a, static_only, text);
  absl::StatusOr<AgentConfig> b = mcpcred::config::ParseConfig(
      text, kPath, all, {"command", "github-app", "oauth2", "static"});
  CheckConfig(b, all, text);
  CheckAgree(a, b);
  return 0;
}

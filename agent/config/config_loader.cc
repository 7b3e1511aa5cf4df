// The TOML side of the config layer: toml++ is used here and nowhere else, so
// the rest of the agent sees only the typed structs of config.h.
// toml++ 3.3.0 turns its internal assertions into optimizer assumptions
// under Clang in NDEBUG builds (__builtin_assume), and some input breaks
// them ("[=x]" reaches parse_key with neither a key character nor a quote):
// undefined behaviour. Keep them out of the optimizer, as GCC's build of the
// same header does, and make its "unreachable" a clean abort rather than
// undefined behaviour (toml_guard.h keeps the known cases from reaching it).
#include <toml++/impl/preprocessor.h>
#undef TOML_ASSUME
#define TOML_ASSUME(...) static_assert(true)
#undef TOML_UNREACHABLE
#define TOML_UNREACHABLE ::std::abort()
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/config/config.h"
#include "agent/config/env_expand.h"
#include "agent/config/lifetime.h"
#include "agent/config/read_config_text.h"
#include "agent/config/toml_guard.h"
#include "agent/config/validation.h"

namespace mcpcred::config {
namespace {

using Entry = std::pair<const toml::key*, const toml::node*>;

constexpr const char* kStoreBackends[] = {"auto", "secret-service", "file",
                                          "memory"};

int LineOf(const toml::source_region& region) {
  return static_cast<int>(region.begin.line);
}

// toml++ iterates a table in key order; walking it in file order makes the
// first error reported the first one a person reads.
std::vector<Entry> EntriesByLine(const toml::table& table) {
  std::vector<Entry> entries;
  for (const auto& [key, node] : table) entries.emplace_back(&key, &node);
  std::stable_sort(
      entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        const auto& pa = a.first->source().begin;
        const auto& pb = b.first->source().begin;
        return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
      });
  return entries;
}

std::string KeyName(const toml::key& key) { return std::string(key.str()); }

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date/time";
  }
}

std::string Expected(absl::string_view what, const toml::node& node) {
  return absl::StrCat("expected ", what, ", got ", TypeName(node));
}

// Keys may be quoted TOML strings holding anything; escaping keeps every
// message on one line.
std::string Quoted(absl::string_view text) {
  return absl::StrCat("\"", absl::CEscape(text), "\"");
}

absl::Status FileError(const std::string& path, int line,
                       absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ":", line, ": ", message));
}

// Validates one [credential.NAME] table into a CredentialConfig. Every check
// returns the first problem as a ready-to-show status.
class CredentialBuilder {
 public:
  CredentialBuilder(const std::string& path, const SchemaLookup& schemas,
                    const std::vector<std::string>& known_providers,
                    CredentialConfig& out)
      : path_(path), schemas_(schemas), known_(known_providers), out_(out) {}

  absl::Status Build(const toml::node& node, int key_line) {
    out_.line = node.is_table() ? LineOf(node.source()) : key_line;
    if (!IsValidCredentialName(out_.name)) {
      return Fail(out_.line, "",
                  "invalid credential name: use 1 to 64 characters of "
                  "A-Z a-z 0-9 . _ -");
    }
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Fail(out_.line, "", Expected("a table [credential.NAME]", node));
    }
    const std::vector<Entry> entries = EntriesByLine(*table);
    for (const auto& [key, value] : entries) {
      out_.key_lines[KeyName(*key)] = LineOf(key->source());
    }
    if (absl::Status s = ReadProvider(*table); !s.ok()) return s;
    for (const auto& [key, value] : entries) {
      if (absl::Status s = ReadKey(*key, *value); !s.ok()) return s;
    }
    return CheckRequired();
  }

 private:
  absl::Status Fail(int line, absl::string_view key,
                    absl::string_view message) const {
    return absl::InvalidArgumentError(
        FormatCredentialError(path_, line, out_.name, key, message));
  }

  // A string value with ${VAR} expanded.
  absl::StatusOr<std::string> ExpandedString(const toml::node& node,
                                             absl::string_view what, int line,
                                             absl::string_view key) const {
    const std::string* raw =
        node.is_string() ? &node.as_string()->get() : nullptr;
    if (raw == nullptr) return Fail(line, key, Expected(what, node));
    absl::StatusOr<std::string> expanded =
        ExpandEnvVars(*raw, &out_.expansions);
    if (!expanded.ok()) return Fail(line, key, expanded.status().message());
    return expanded;
  }

  absl::Status ReadProvider(const toml::table& table) {
    const std::string known =
        known_.empty()
            ? ""
            : absl::StrCat("; known providers: ", absl::StrJoin(known_, ", "));
    const toml::node* node = table.get("provider");
    if (node == nullptr) {
      return Fail(out_.line, "provider",
                  absl::StrCat("required key is missing (the provider that "
                               "acquires this credential",
                               known, ")"));
    }
    const int line = out_.key_lines["provider"];
    absl::StatusOr<std::string> name =
        ExpandedString(*node, "a string", line, "provider");
    if (!name.ok()) return name.status();
    out_.provider = *name;
    schema_ = schemas_ ? schemas_(out_.provider) : nullptr;
    if (schema_ == nullptr) {
      // The raw text: what the person wrote, never an expanded value.
      return Fail(line, "provider",
                  absl::StrCat("unknown provider ",
                               Quoted(node->as_string()->get()), known));
    }
    return absl::OkStatus();
  }

  absl::Status ReadKey(const toml::key& key, const toml::node& node) {
    const std::string name = KeyName(key);
    const int line = LineOf(key.source());
    if (name == "provider") return absl::OkStatus();
    if (name == "env") return ReadTemplates(name, node, line, out_.env);
    if (name == "headers") return ReadTemplates(name, node, line, out_.headers);
    if (name == "lifetime") return ReadLifetime(node, line);
    if (name == "forward") return ReadForward(node, line);
    if (name == "allow" || name == "confirm" || name == "confirm_timeout") {
      return ReadCallerPolicy(name, node, line);
    }
    const FieldSchema* field = FindField(*schema_, name);
    if (field == nullptr) {
      return Fail(
          line, name,
          absl::StrCat("unknown key for provider ", Quoted(out_.provider),
                       "; valid keys: ", JoinOrNone(ValidKeys(*schema_))));
    }
    absl::StatusOr<nlohmann::json> value = Convert(*field, node, line);
    if (!value.ok()) return value.status();
    out_.provider_config[name] = *std::move(value);
    return absl::OkStatus();
  }

  absl::Status ReadLifetime(const toml::node& node, int line) {
    absl::StatusOr<std::string> text =
        ExpandedString(node, "a string such as \"8h\"", line, "lifetime");
    if (!text.ok()) return text.status();
    absl::StatusOr<absl::Duration> lifetime = ParseLifetime(*text);
    if (!lifetime.ok())
      return Fail(line, "lifetime", lifetime.status().message());
    out_.lifetime = *lifetime;
    return absl::OkStatus();
  }

  absl::Status ReadForward(const toml::node& node, int line) {
    if (!node.is_boolean()) {
      return Fail(line, "forward", Expected("true or false", node));
    }
    out_.forward = node.as_boolean()->get();
    return absl::OkStatus();
  }

  absl::StatusOr<nlohmann::json> Convert(const FieldSchema& field,
                                         const toml::node& node, int line) {
    const std::string& key = field.name;
    switch (field.type) {
      case FieldType::kString:
        return ExpandedString(node, "a string", line, key);
      case FieldType::kSecretRef:
        return ConvertSecretRef(node, line, key);
      case FieldType::kInteger:
        if (!node.is_integer()) {
          return Fail(line, key, Expected("an integer", node));
        }
        return nlohmann::json(node.as_integer()->get());
      case FieldType::kBoolean:
        if (!node.is_boolean()) {
          return Fail(line, key, Expected("a boolean", node));
        }
        return nlohmann::json(node.as_boolean()->get());
      case FieldType::kStringArray:
        return ConvertStringArray(node, line, key);
      case FieldType::kStringTable:
        return ConvertStringTable(node, line, key);
    }
    return Fail(line, key, "unsupported field type in provider schema");
  }

  absl::StatusOr<nlohmann::json> ConvertSecretRef(const toml::node& node,
                                                  int line,
                                                  const std::string& key) {
    absl::StatusOr<std::string> ref =
        ExpandedString(node, "a secret reference string", line, key);
    if (!ref.ok()) return ref.status();
    if (absl::Status s = CheckSecretRef(*ref); !s.ok()) {
      return Fail(line, key, s.message());
    }
    return nlohmann::json(*ref);
  }

  absl::StatusOr<nlohmann::json> ConvertStringArray(const toml::node& node,
                                                    int line,
                                                    const std::string& key) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      return Fail(line, key, Expected("an array of strings", node));
    }
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      absl::StatusOr<std::string> value =
          ExpandedString(item, "a string", LineOf(item.source()),
                         key + "[" + std::to_string(i) + "]");
      if (!value.ok()) return value.status();
      out.push_back(*std::move(value));
    }
    return out;
  }

  absl::StatusOr<nlohmann::json> ConvertStringTable(const toml::node& node,
                                                    int line,
                                                    const std::string& key) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Fail(line, key, Expected("a table of strings", node));
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [sub_key, sub_node] : EntriesByLine(*table)) {
      const std::string sub = KeyName(*sub_key);
      absl::StatusOr<std::string> value =
          ExpandedString(*sub_node, "a string", LineOf(sub_key->source()),
                         absl::StrCat(key, ".", sub));
      if (!value.ok()) return value.status();
      out[sub] = *std::move(value);
    }
    return out;
  }

  // allow = [...], confirm = true, confirm_timeout = "30s".
  absl::Status ReadCallerPolicy(const std::string& key, const toml::node& node,
                                int line) {
    CallerPolicy& policy = out_.policy;
    if (key == "confirm") {
      if (!node.is_boolean())
        return Fail(line, key, Expected("a boolean", node));
      policy.confirm = node.as_boolean()->get();
      return absl::OkStatus();
    }
    if (key == "confirm_timeout") {
      absl::StatusOr<std::string> text =
          ExpandedString(node, "a duration string", line, key);
      if (!text.ok()) return text.status();
      absl::StatusOr<absl::Duration> timeout = ParseConfirmTimeout(*text);
      if (!timeout.ok()) return Fail(line, key, timeout.status().message());
      policy.confirm_timeout = *timeout;
      return absl::OkStatus();
    }
    absl::StatusOr<nlohmann::json> texts = ConvertStringArray(node, line, key);
    if (!texts.ok()) return texts.status();
    policy.allow.emplace();
    for (size_t i = 0; i < texts->size(); ++i) {
      absl::StatusOr<CallerRule> rule =
          ParseCallerRule((*texts)[i].get<std::string>());
      if (!rule.ok()) {
        return Fail(line, absl::StrCat(key, "[", i, "]"),
                    rule.status().message());
      }
      policy.allow->push_back(*std::move(rule));
    }
    return absl::OkStatus();
  }

  // env = { NAME = "tmpl" } or headers = { Name = "tmpl" }.
  absl::Status ReadTemplates(const std::string& key, const toml::node& node,
                             int line, std::map<std::string, Template>& out) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Fail(line, key,
                  Expected("a table such as { NAME = \"{variable}\" }", node));
    }
    const bool is_env = key == "env";
    for (const auto& [name_key, value] : EntriesByLine(*table)) {
      const std::string name = KeyName(*name_key);
      const std::string full_key = absl::StrCat(key, ".", name);
      const int entry_line = LineOf(name_key->source());
      if (absl::Status s =
              is_env ? CheckEnvKey(name) : CheckHeaderKey(name, out);
          !s.ok()) {
        return Fail(entry_line, full_key, s.message());
      }
      absl::StatusOr<std::string> text =
          ExpandedString(*value, "a template string", entry_line, full_key);
      if (!text.ok()) return text.status();
      absl::StatusOr<Template> parsed = ParseValueTemplate(
          value->as_string()->get(), *text, schema_->variables);
      if (!parsed.ok()) {
        return Fail(entry_line, full_key, parsed.status().message());
      }
      out.emplace(name, *std::move(parsed));
    }
    return absl::OkStatus();
  }

  absl::Status CheckRequired() const {
    for (const FieldSchema& field : schema_->fields) {
      if (!field.required || out_.key_lines.count(field.name) != 0) continue;
      const std::string help =
          field.help.empty() ? "" : absl::StrCat(": ", field.help);
      return Fail(out_.line, field.name,
                  absl::StrCat("required key is missing", help));
    }
    return absl::OkStatus();
  }

  const std::string& path_;
  const SchemaLookup& schemas_;
  const std::vector<std::string>& known_;
  CredentialConfig& out_;
  const ProviderSchema* schema_ = nullptr;
};

absl::Status ReadCredentials(const std::string& path, const toml::node& node,
                             int line, const SchemaLookup& schemas,
                             const std::vector<std::string>& known_providers,
                             std::vector<CredentialConfig>& out) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    return FileError(
        path, line, "\"credential\" must hold tables: write [credential.NAME]");
  }
  for (const auto& [key, value] : EntriesByLine(*table)) {
    CredentialConfig credential;
    credential.name = KeyName(*key);
    CredentialBuilder builder(path, schemas, known_providers, credential);
    // A bad credential is kept with its error so the agent can show it.
    credential.error = builder.Build(*value, LineOf(key->source()));
    out.push_back(std::move(credential));
  }
  return absl::OkStatus();
}

absl::Status ReadStore(const std::string& path, const toml::node& node,
                       int line, std::string& backend) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    return FileError(path, line, "\"store\" must be a table: write [store]");
  }
  for (const auto& [key, value] : EntriesByLine(*table)) {
    const int key_line = LineOf(key->source());
    if (KeyName(*key) != "backend") {
      return FileError(
          path, key_line,
          absl::StrCat("[store]: unknown key ", Quoted(KeyName(*key)),
                       " (expected \"backend\")"));
    }
    const std::string where = "[store]: key \"backend\": ";
    if (!value->is_string()) {
      return FileError(path, key_line, where + Expected("a string", *value));
    }
    const std::string& raw = value->as_string()->get();
    absl::StatusOr<std::string> expanded = ExpandEnvVars(raw);
    if (!expanded.ok()) {
      return FileError(path, key_line,
                       absl::StrCat(where, expanded.status().message()));
    }
    if (std::find(std::begin(kStoreBackends), std::end(kStoreBackends),
                  *expanded) == std::end(kStoreBackends)) {
      return FileError(path, key_line,
                       absl::StrCat(where, "unknown store backend ",
                                    Quoted(raw), "; expected one of ",
                                    absl::StrJoin(kStoreBackends, ", ")));
    }
    backend = *expanded;
  }
  return absl::OkStatus();
}

// toml++ quotes the offending character, which may be a newline or an
// escape sequence: keep the message on one line, and readable otherwise.
std::string EscapeControls(std::string_view text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7f ? absl::CHexEscape(std::string(1, c))
                                 : std::string(1, c);
  }
  return out;
}

}  // namespace

absl::StatusOr<AgentConfig> ParseConfig(
    const std::string& toml_text, const std::string& path,
    const SchemaLookup& schemas,
    const std::vector<std::string>& known_providers) {
  if (absl::Status safe = CheckTomlIsSafeToParse(toml_text, path); !safe.ok()) {
    return safe;
  }
  toml::parse_result parsed =
      toml::parse(std::string_view(toml_text), std::string_view(path));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", error.source().begin.line, ":", error.source().begin.column,
        ": ", EscapeControls(error.description())));
  }
  AgentConfig config;
  config.path = path;
  for (const auto& [key, node] : EntriesByLine(parsed.table())) {
    const int line = LineOf(key->source());
    absl::Status status;
    if (KeyName(*key) == "credential") {
      status = ReadCredentials(path, *node, line, schemas, known_providers,
                               config.credentials);
    } else if (KeyName(*key) == "store") {
      status = ReadStore(path, *node, line, config.store_backend);
    } else {
      status = FileError(path, line,
                         absl::StrCat("unknown key ", Quoted(KeyName(*key)),
                                      " (expected [credential.NAME] or "
                                      "[store])"));
    }
    if (!status.ok()) return status;
  }
  std::sort(config.credentials.begin(), config.credentials.end(),
            [](const CredentialConfig& a, const CredentialConfig& b) {
              return a.name < b.name;
            });
  return config;
}

absl::StatusOr<AgentConfig> LoadConfigFile(
    const std::string& path, const SchemaLookup& schemas,
    const std::vector<std::string>& known_providers) {
  absl::StatusOr<std::string> text = ReadConfigText(path);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path, schemas, known_providers);
}

std::string DescribeKeyError(const std::string& path,
                             const CredentialConfig& credential,
                             const std::string& key,
                             const std::string& message) {
  auto it = credential.key_lines.find(key);
  const int line =
      it != credential.key_lines.end() ? it->second : credential.line;
  return FormatCredentialError(path, line, credential.name, key, message);
}

}  // namespace mcpcred::config

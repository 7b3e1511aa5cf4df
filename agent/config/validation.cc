#include "agent/config/validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mcpcred/common/env_denylist.h"

namespace mcpcred::config {
namespace {

constexpr size_t kMaxCredentialNameLength = 64;
constexpr absl::string_view kSecretRefPrefixes[] = {
    "env:", "file:", "keyring:"};

bool IsCredentialNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
         c == '_' || c == '-';
}

bool IsTchar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$%&'*+-.^_`|~").find(c) !=
             absl::string_view::npos;
}

}  // namespace

bool IsValidCredentialName(absl::string_view name) {
  return !name.empty() && name.size() <= kMaxCredentialNameLength &&
         std::all_of(name.begin(), name.end(), IsCredentialNameChar);
}

bool IsValidEnvName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(static_cast<unsigned char>(name[0])))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool IsHttpToken(absl::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsTchar);
}

absl::Status CheckEnvKey(absl::string_view name) {
  if (!IsValidEnvName(name)) {
    return absl::InvalidArgumentError(
        "not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
  }
  if (IsDeniedEnvKey(name)) {
    return absl::InvalidArgumentError(
        "a credential may not set this variable: it changes how programs "
        "load or run (the loader, a shell, an interpreter or a tool reads "
        "it), and mcpcred-exec refuses it");
  }
  return absl::OkStatus();
}

absl::Status CheckHeaderKey(absl::string_view name,
                            const std::map<std::string, Template>& seen) {
  if (!IsHttpToken(name)) {
    return absl::InvalidArgumentError(
        "not a valid HTTP header name (an RFC 9110 token)");
  }
  // Two spellings of one header would both be sent, and a server would see
  // either one.
  for (const auto& [other, unused] : seen) {
    if (absl::EqualsIgnoreCase(other, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate of header \"", absl::CEscape(other),
                       "\" (header names are case-insensitive)"));
    }
  }
  return absl::OkStatus();
}

const FieldSchema* FindField(const ProviderSchema& schema,
                             absl::string_view name) {
  for (const FieldSchema& field : schema.fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::vector<std::string> ValidKeys(const ProviderSchema& schema) {
  std::vector<std::string> keys = {
      "provider", "env",   "headers", "lifetime",
      "forward",  "allow", "confirm", "confirm_timeout"};
  for (const FieldSchema& field : schema.fields) keys.push_back(field.name);
  return keys;
}

absl::Status CheckSecretRef(absl::string_view ref) {
  // Plugins pass a reference on as a C string: everything after a NUL would
  // be dropped without a word, naming another file or variable.
  if (ref.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "a secret reference must not contain a NUL character");
  }
  for (absl::string_view prefix : kSecretRefPrefixes) {
    if (!absl::StartsWith(ref, prefix)) continue;
    if (ref.size() == prefix.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", prefix, "\" needs a name after the prefix"));
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "looks like a literal secret; keep it out of the config: use "
      "\"env:VAR\", \"file:PATH\" or \"keyring:NAME\"");
}

absl::StatusOr<Template> ParseValueTemplate(
    const std::string& raw, const std::string& expanded,
    const std::vector<std::string>& allowed) {
  absl::StatusOr<Template> parsed = Template::Parse(expanded);
  if (!parsed.ok()) {
    // Its column and names would point into the environment's value.
    if (raw != expanded) {
      return absl::InvalidArgumentError(
          "invalid template after ${...} expansion (value not shown)");
    }
    return parsed.status();
  }
  for (const std::string& variable : parsed->variables()) {
    if (std::find(allowed.begin(), allowed.end(), variable) != allowed.end()) {
      continue;
    }
    // A name written in the file is safe to show; one that came from the
    // environment is not.
    const std::string placeholder = absl::StrCat("{", variable, "}");
    const std::string which =
        absl::StrContains(raw, placeholder)
            ? absl::StrCat("unknown variable \"", placeholder, "\"")
            : "an unknown variable from the ${...} expansion";
    return absl::InvalidArgumentError(
        absl::StrCat("template uses ", which,
                     "; this provider offers: ", JoinOrNone(allowed)));
  }
  return parsed;
}

std::string FormatCredentialError(absl::string_view path, int line,
                                  absl::string_view name, absl::string_view key,
                                  absl::string_view message) {
  // Names may be quoted TOML keys holding anything; escaping keeps every
  // message on one line. Valid names are unchanged by it.
  std::string out = absl::StrCat(path, ":", line, ": credential \"",
                                 absl::CEscape(name), "\"");
  if (!key.empty()) absl::StrAppend(&out, ": key \"", absl::CEscape(key), "\"");
  absl::StrAppend(&out, ": ", message);
  return out;
}

std::string JoinOrNone(const std::vector<std::string>& items) {
  return items.empty() ? "none" : absl::StrJoin(items, ", ");
}

}  // namespace mcpcred::config

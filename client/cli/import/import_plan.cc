#include "import_plan.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "jsonc_document.h"
#include "secret_detector.h"
#include "toml_servers.h"

namespace mcpcred::cli::import {
namespace {

constexpr size_t kMaxNameLength = 48;

// A credential name (A-Z a-z 0-9 . _ -, as `mcpcred add` takes) from a
// server name or key: lower case, other characters become '-'.
std::string Sanitize(absl::string_view raw) {
  std::string name;
  for (char c : raw) {
    unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u) || c == '.' || c == '_' || c == '-') {
      name.push_back(absl::ascii_tolower(u));
    } else if (!name.empty() && name.back() != '-') {
      name.push_back('-');
    }
  }
  while (!name.empty() && (name.back() == '-' || name.back() == '.')) {
    name.pop_back();
  }
  while (!name.empty() && (name.front() == '-' || name.front() == '.')) {
    name.erase(name.begin());
  }
  if (name.size() > kMaxNameLength) name.resize(kMaxNameLength);
  return name.empty() ? "server" : name;
}

// A literal inside a credential template: braces doubled.
std::string EscapeTemplate(absl::string_view literal) {
  std::string out;
  for (char c : literal) {
    out.push_back(c);
    if (c == '{' || c == '}') out.push_back(c);
  }
  return out;
}

bool IsUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

// For a one-line TOML comment: no control characters, valid UTF-8.
std::string OneLine(absl::string_view text) {
  bool utf8 = IsUtf8(text);
  std::string out(text);
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || (!utf8 && u >= 0x80)) c = '?';
  }
  return out;
}

// The agent's config and its RPCs take UTF-8 text only.
bool AllUtf8(const StringTable& table) {
  for (size_t i = 0; i < table.span.members.size(); ++i) {
    if (!IsUtf8(table.span.members[i].key)) return false;
    if (table.values[i].has_value() && !IsUtf8(*table.values[i])) return false;
  }
  return true;
}

// What a template renders with `secret`: the inverse of EscapeTemplate
// around "{secret}".
std::string Render(absl::string_view text, absl::string_view secret) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 8) == "{secret}") {
      absl::StrAppend(&out, secret);
      i += 7;
    } else {
      out.push_back(text[i]);
      if ((text[i] == '{' || text[i] == '}') && i + 1 < text.size() &&
          text[i + 1] == text[i]) {
        ++i;
      }
    }
  }
  return out;
}

Templates Rendered(const Templates& templates, absl::string_view secret) {
  Templates out;
  for (const auto& [key, value] : templates) {
    out.emplace_back(key, Render(value, secret));
  }
  return out;
}

bool RunsThroughMcpcred(const ServerEntry& entry) {
  if (entry.has_headers_helper) return true;
  if (!entry.command.has_value()) return false;
  absl::string_view command = *entry.command;
  size_t slash = command.rfind('/');
  if (slash != absl::string_view::npos) command.remove_prefix(slash + 1);
  return command == "mcpcred-exec" || command == "mcpcred-remote";
}

struct Found {
  std::string key;
  DetectedSecret secret;
};

std::vector<Found> SecretsIn(const std::optional<StringTable>& table) {
  std::vector<Found> found;
  if (!table.has_value()) return found;
  for (size_t i = 0; i < table->span.members.size(); ++i) {
    if (!table->values[i].has_value()) continue;
    const std::string& key = table->span.members[i].key;
    std::optional<DetectedSecret> secret = DetectSecret(key, *table->values[i]);
    if (secret.has_value()) found.push_back({key, *std::move(secret)});
  }
  return found;
}

class Planner {
 public:
  explicit Planner(PlanInput input) : input_(std::move(input)) {}

  absl::StatusOr<ImportPlan> Plan() {
    plan_.config_path = input_.config_path;
    plan_.config_text = input_.config_text;
    taken_ = input_.taken;
    if (input_.config_text.has_value()) {
      absl::StatusOr<std::vector<std::string>> names =
          TomlTableKeys(*input_.config_text, "credential");
      if (!names.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(input_.config_path, ": ", names.status().message(),
                         ": fix it first, nothing was changed"));
      }
      taken_.insert(names->begin(), names->end());
      config_names_.insert(names->begin(), names->end());
    }
    for (ScannedFile& scanned : input_.files) {
      absl::Status status = PlanFile(std::move(scanned));
      if (!status.ok()) return status;
    }
    plan_.new_config_text = plan_.config_text.value_or("");
    for (const NewCredential& credential : plan_.credentials) {
      std::string& text = plan_.new_config_text;
      if (!text.empty() && text.back() != '\n') text += "\n";
      if (!text.empty()) text += "\n";
      absl::StrAppend(&text, "# Moved in by 'mcpcred import' from ",
                      OneLine(credential.origin), ".\n",
                      CredentialToml(credential));
    }
    absl::StatusOr<std::vector<std::string>> check =
        TomlTableKeys(plan_.new_config_text, "credential");
    if (!check.ok()) {
      return absl::InternalError(
          absl::StrCat("the new ", plan_.config_path,
                       " would not parse: ", check.status().message()));
    }
    return std::move(plan_);
  }

 private:
  std::string UniqueName(const std::string& base) {
    std::string name = base;
    for (int n = 2; taken_.count(name) != 0; ++n) {
      name = absl::StrCat(base, "-", n);
    }
    taken_.insert(name);
    return name;
  }

  // A credential of the config, named `base` or `base-N`, that renders
  // these values already; "" if none.
  std::string Existing(const std::string& base, const Templates& env,
                       const Templates& headers) {
    if (!input_.existing_renders) return "";
    std::string name = base;
    for (int n = 2; config_names_.count(name) != 0; ++n) {
      if (input_.existing_renders(name, env, headers)) return name;
      name = absl::StrCat(base, "-", n);
    }
    return "";
  }

  // The credential for `secret` rendered by these templates: an earlier one
  // with the same, or one of the config that renders the same, else a new
  // one.
  std::string CredentialFor(const std::string& base, Templates env,
                            Templates headers, const std::string& secret,
                            const std::string& origin) {
    std::string identity;
    for (const auto& [key, value] : env) {
      absl::StrAppend(&identity, "e", key.size(), ":", key, value.size(), ":",
                      value);
    }
    for (const auto& [key, value] : headers) {
      absl::StrAppend(&identity, "h", key.size(), ":", key, value.size(), ":",
                      value);
    }
    absl::StrAppend(&identity, "s", secret);
    auto it = by_identity_.find(identity);
    if (it != by_identity_.end()) return it->second;
    std::string existing =
        Existing(base, Rendered(env, secret), Rendered(headers, secret));
    if (!existing.empty()) {
      by_identity_[identity] = existing;
      plan_.reused.insert(existing);
      return existing;
    }
    NewCredential credential;
    credential.name = UniqueName(base);
    credential.secret = secret;
    credential.env = std::move(env);
    credential.headers = std::move(headers);
    credential.origin = origin;
    by_identity_[identity] = credential.name;
    plan_.credentials.push_back(std::move(credential));
    return plan_.credentials.back().name;
  }

  void PlanHttp(const ScannedFile& scanned, const ServerEntry& entry,
                const std::vector<Found>& found, const std::string& origin,
                ServerChange* change) {
    if (found.size() > 1) {
      change->skipped = absl::StrCat(
          found.size(),
          " secret headers, and a credential renders one secret: move them "
          "by hand");
      return;
    }
    Templates headers;
    const StringTable& table = *entry.headers;
    for (size_t i = 0; i < table.span.members.size(); ++i) {
      const std::string& key = table.span.members[i].key;
      if (!table.values[i].has_value() || IsReference(*table.values[i])) {
        change->skipped =
            "its other headers are references the host expands, which the "
            "agent cannot: move the secret by hand";
        return;
      }
      headers.emplace_back(
          key,
          key == found[0].key
              ? absl::StrCat(EscapeTemplate(found[0].secret.scheme), "{secret}")
              : EscapeTemplate(*table.values[i]));
    }
    if (scanned.file.headers_helper && entry.entry.Find("headers") == nullptr) {
      change->skipped = "its headers are not a member of the entry";
      return;
    }
    std::string name =
        CredentialFor(Sanitize(entry.name), {}, std::move(headers),
                      found[0].secret.secret, origin);
    change->moved[0].second = name;
    EntryRewrite rewrite;
    rewrite.kind = scanned.file.headers_helper
                       ? EntryRewrite::Kind::kHeadersHelper
                       : EntryRewrite::Kind::kRemote;
    rewrite.credentials = {name};
    change->rewrite = std::move(rewrite);
  }

  void PlanStdio(const ServerEntry& entry, const std::vector<Found>& found,
                 const std::string& origin, ServerChange* change) {
    EntryRewrite rewrite;
    rewrite.kind = EntryRewrite::Kind::kExec;
    std::string base = Sanitize(entry.name);
    for (size_t i = 0; i < found.size(); ++i) {
      const Found& one = found[i];
      std::string name = CredentialFor(
          found.size() == 1 ? base : absl::StrCat(base, "-", Sanitize(one.key)),
          {{one.key,
            absl::StrCat(EscapeTemplate(one.secret.scheme), "{secret}")}},
          {}, one.secret.secret, origin);
      change->moved[i].second = name;
      if (std::find(rewrite.credentials.begin(), rewrite.credentials.end(),
                    name) == rewrite.credentials.end()) {
        rewrite.credentials.push_back(name);
      }
      rewrite.removed_env.push_back(one.key);
    }
    change->rewrite = std::move(rewrite);
  }

  absl::Status PlanFile(ScannedFile scanned) {
    FileChange file;
    std::vector<TextEdit> edits;
    for (const ServerEntry& entry : scanned.servers) {
      bool http = entry.url.has_value() && !entry.command.has_value();
      std::vector<Found> found = SecretsIn(http ? entry.headers : entry.env);
      if (found.empty()) continue;
      ServerChange change;
      change.name = entry.name;
      change.where = entry.where;
      change.secrets = found.size();
      for (const Found& one : found) {
        change.moved.emplace_back(
            absl::StrCat(http ? "header " : "env ", one.key), "");
      }
      std::string origin =
          absl::StrCat(scanned.file.path, ", server \"", entry.name, "\"");
      if (!AllUtf8(http ? *entry.headers : *entry.env)) {
        change.skipped = "its keys or values are not valid UTF-8";
      } else if (RunsThroughMcpcred(entry)) {
        change.skipped =
            "it already runs through mcpcred, yet holds literal secrets: "
            "move them by hand";
      } else if (http) {
        PlanHttp(scanned, entry, found, origin, &change);
      } else if (entry.command.has_value()) {
        PlanStdio(entry, found, origin, &change);
      } else {
        change.skipped = "it has neither a command nor a url";
      }
      if (change.rewrite.has_value()) {
        absl::StatusOr<std::vector<TextEdit>> entry_edits =
            RewriteEntry(scanned.text, EntrySyntax{scanned.file.toml}, entry,
                         *change.rewrite);
        if (!entry_edits.ok()) return entry_edits.status();
        edits.insert(edits.end(), entry_edits->begin(), entry_edits->end());
        plan_.moved_secrets += change.secrets;
      } else {
        plan_.left_secrets += change.secrets;
      }
      file.servers.push_back(std::move(change));
    }
    if (file.servers.empty()) return absl::OkStatus();
    absl::StatusOr<std::string> new_text = ApplyEdits(scanned.text, edits);
    if (!new_text.ok()) {
      return absl::InternalError(
          absl::StrCat(scanned.file.path, ": ", new_text.status().message()));
    }
    // A safety net: the new text must still be a config the host reads.
    absl::StatusOr<std::vector<ServerEntry>> again =
        ScanText(scanned.file, *new_text);
    if (!again.ok()) {
      return absl::InternalError(
          absl::StrCat("rewriting ", scanned.file.path, " would break it (",
                       again.status().message(), "); nothing was changed"));
    }
    file.new_text = *std::move(new_text);
    file.scanned = std::move(scanned);
    plan_.files.push_back(std::move(file));
    return absl::OkStatus();
  }

  PlanInput input_;
  ImportPlan plan_;
  std::set<std::string> taken_;
  std::set<std::string> config_names_;
  std::map<std::string, std::string> by_identity_;  // -> credential name
};

std::string Inline(const Templates& templates) {
  std::vector<std::string> parts;
  for (const auto& [key, value] : templates) {
    parts.push_back(absl::StrCat(TomlKey(key), " = ", TomlQuote(value)));
  }
  return absl::StrCat("{ ", absl::StrJoin(parts, ", "), " }");
}

std::string Describe(const ServerEntry* entry, const EntryRewrite& rewrite) {
  std::string names = absl::StrJoin(rewrite.credentials, " ");
  switch (rewrite.kind) {
    case EntryRewrite::Kind::kExec:
      return absl::StrCat("runs as: mcpcred-exec ", names, " -- ",
                          entry == nullptr ? "COMMAND" : *entry->command,
                          " ...");
    case EntryRewrite::Kind::kHeadersHelper:
      return absl::StrCat("gets its headers from: mcpcred headers ", names,
                          " --json (headersHelper)");
    case EntryRewrite::Kind::kRemote:
      return absl::StrCat("runs as: mcpcred-remote ", names, " URL");
  }
  return "";
}

}  // namespace

absl::StatusOr<ImportPlan> MakePlan(PlanInput input) {
  return Planner(std::move(input)).Plan();
}

std::string CredentialToml(const NewCredential& credential) {
  std::string out = absl::StrCat("[credential.", TomlKey(credential.name),
                                 "]\nprovider = \"static\"\nsecret = ",
                                 TomlQuote("keyring:" + credential.name), "\n");
  if (!credential.env.empty()) {
    absl::StrAppend(&out, "env = ", Inline(credential.env), "\n");
  }
  if (!credential.headers.empty()) {
    absl::StrAppend(&out, "headers = ", Inline(credential.headers), "\n");
  }
  return out;
}

std::string FormatPlan(const ImportPlan& plan, const Places& places) {
  std::string out;
  for (const FileChange& file : plan.files) {
    absl::StrAppend(&out, ShortPath(places, file.scanned.file.path), " (",
                    file.scanned.file.host, ")\n");
    for (const ServerChange& server : file.servers) {
      const ServerEntry* entry = nullptr;
      for (const ServerEntry& candidate : file.scanned.servers) {
        if (candidate.where == server.where) entry = &candidate;
      }
      absl::StrAppend(&out, "  server ", JsonQuote(server.name), " (",
                      server.where, ")\n");
      for (const auto& [what, credential] : server.moved) {
        absl::StrAppend(
            &out, "    ", what, " = ********",
            credential.empty()
                ? ""
                : absl::StrCat(" -> credential \"", credential, "\"",
                               plan.reused.count(credential) != 0
                                   ? " (already in the agent)"
                                   : ""),
            "\n");
      }
      if (server.rewrite.has_value()) {
        absl::StrAppend(&out, "    ", Describe(entry, *server.rewrite), "\n");
      } else {
        absl::StrAppend(&out, "    left as is: ", server.skipped, "\n");
      }
    }
  }
  if (!plan.credentials.empty()) {
    std::vector<std::string> tables;
    for (const NewCredential& credential : plan.credentials) {
      tables.push_back(absl::StrCat("[credential.", credential.name, "]"));
    }
    absl::StrAppend(
        &out, ShortPath(places, plan.config_path), " (mcpcred): adds ",
        absl::StrJoin(tables, ", "),
        ", each a static secret kept by the agent (keyring:NAME)\n");
  }
  return out;
}

}  // namespace mcpcred::cli::import

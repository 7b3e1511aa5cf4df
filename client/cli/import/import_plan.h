// The planner of `mcpcred import`: from the scanned host configs, which
// secrets become which credentials, the `[credential.NAME]` tables added to
// the mcpcred config, and each host file's new text. Planning changes
// nothing; import_apply.h carries a plan out.
//
// Rules: a server with literal secrets (secret_detector.h) in `env` (stdio)
// or `headers` (HTTP) gets static credentials whose secret is
// `keyring:NAME`, one per secret, named after the server (and the key when
// it has several), made unique against `taken`. The same secret under the
// same key in several servers becomes one credential, and so does an
// existing credential of the config that renders the same values (asked of
// the agent through PlanInput::existing_renders): importing a host file
// restored from its backup makes no second credential. Entries already
// running through mcpcred (mcpcred-exec, mcpcred-remote, a headersHelper)
// are left alone. An HTTP server with several secret headers, or with
// headers that are references, is skipped with the reason: a credential
// renders one secret, and the agent cannot expand a host's references.
//
// Thread-safe: functions only.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_IMPORT_PLAN_H_
#define MCPCRED_CLIENT_CLI_IMPORT_IMPORT_PLAN_H_

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "entry_rewriter.h"
#include "host_files.h"

namespace mcpcred::cli::import {

using Templates = std::vector<std::pair<std::string, std::string>>;

struct NewCredential {
  std::string name;
  std::string secret;  // stored with the agent; never printed
  Templates env;       // KEY -> template ("{secret}")
  Templates headers;   // Name -> template ("Bearer {secret}", literals)
  std::string origin;  // "~/.cursor/mcp.json, server \"github\""
};

struct ServerChange {
  std::string name;
  std::string where;
  // What moves, without values ("env GITHUB_TOKEN", "header
  // Authorization"), each with the credential it moves to ("" if skipped).
  std::vector<std::pair<std::string, std::string>> moved;
  // Set when the entry is rewritten.
  std::optional<EntryRewrite> rewrite;
  // Set when it is not, with literal secrets left in it: why.
  std::string skipped;
  size_t secrets = 0;
};

struct FileChange {
  ScannedFile scanned;
  std::vector<ServerChange> servers;  // those with literal secrets
  std::string new_text;               // == scanned.text when nothing changes
  bool changed() const { return new_text != scanned.text; }
};

struct ImportPlan {
  std::vector<NewCredential> credentials;
  // Credentials of the config that host entries will use as they are.
  std::set<std::string> reused;
  std::vector<FileChange> files;  // files with literal secrets
  std::string config_path;
  std::optional<std::string> config_text;  // nullopt: no config file yet
  std::string new_config_text;
  // Secrets that will move, and those left where they are (skipped).
  size_t moved_secrets = 0;
  size_t left_secrets = 0;
};

// Whether credential `name` (of the config) renders exactly this env and
// these headers (values, not templates).
using ExistingRenders = std::function<bool(
    const std::string& name, const Templates& env, const Templates& headers)>;

struct PlanInput {
  std::vector<ScannedFile> files;
  std::string config_path;
  std::optional<std::string> config_text;
  // Names already used: the config's credentials, the store's secrets.
  std::set<std::string> taken;
  // Null: existing credentials are never reused.
  ExistingRenders existing_renders;
};

// INVALID_ARGUMENT when the mcpcred config does not parse (nothing is
// appended to a broken file).
absl::StatusOr<ImportPlan> MakePlan(PlanInput input);

// The plan for people: files, servers, the keys that move (values always
// shown as ********), credentials and the rewrites.
std::string FormatPlan(const ImportPlan& plan, const Places& places);

// The `[credential.NAME]` table for `credential`, as appended to the config.
std::string CredentialToml(const NewCredential& credential);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_IMPORT_PLAN_H_

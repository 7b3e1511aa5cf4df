// The edits that make one server entry of a host config run through mcpcred
// instead of holding literal secrets, in the entry's own format (JSON or
// TOML) and style; everything else in the file stays byte for byte.
//
// Thread-safe: functions only.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_ENTRY_REWRITER_H_
#define MCPCRED_CLIENT_CLI_IMPORT_ENTRY_REWRITER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server_entry.h"
#include "text_edit.h"

namespace mcpcred::cli::import {

struct EntryRewrite {
  enum class Kind {
    // stdio: `mcpcred-exec CREDENTIALS... -- COMMAND ARGS...`, the secret
    // env keys removed.
    kExec,
    // HTTP, Claude Code: `"headersHelper": "mcpcred headers NAME --json"`
    // instead of `headers`.
    kHeadersHelper,
    // HTTP, hosts without a headers helper: a stdio entry running
    // `mcpcred-remote NAME URL`, without `headers`.
    kRemote,
  };
  Kind kind = Kind::kExec;
  std::vector<std::string> credentials;  // kExec: all; others: one
  std::vector<std::string> removed_env;  // kExec
};

struct EntrySyntax {
  bool toml = false;
};

// The edits for `rewrite` of `entry`, which lies in `text`. INTERNAL when
// the entry lacks what the rewrite needs (a command, a url).
absl::StatusOr<std::vector<TextEdit>> RewriteEntry(absl::string_view text,
                                                   EntrySyntax syntax,
                                                   const ServerEntry& entry,
                                                   const EntryRewrite& rewrite);

// The command line an entry runs after `rewrite`, as args (for tests and
// for the plan: mcpcred-exec's args name credentials and the command).
std::vector<std::string> RewrittenArgs(const ServerEntry& entry,
                                       const EntryRewrite& rewrite);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_ENTRY_REWRITER_H_

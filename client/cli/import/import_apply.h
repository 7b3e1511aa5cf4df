// Carries out an import plan (import_plan.h) with the agent, in an order
// that never leaves a host config pointing at a credential that does not
// work: (1) every host file and the mcpcred config are checked unchanged
// since they were read; (2) each secret is stored with the agent (AddSecret,
// as `mcpcred add` does); (3) the config gets its `[credential.NAME]`
// tables; (4) the agent reloads and every new credential must be ready;
// (5) only then each host file is backed up and rewritten. A failure in
// (1)-(4) undoes what was done (secrets removed, config restored and
// reloaded) and leaves every host file untouched.
//
// Files are replaced atomically (mcpcred/common/atomic_file.h) with their
// own permissions; a symbolic link is followed, so the file it names is
// rewritten. Backups sit next to each file as FILE.mcpcred-backup (or
// .mcpcred-backup.2, ...: an older backup is never overwritten), mode 0600.
//
// Thread-safe: functions only; the caller must not run two imports at once.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_IMPORT_APPLY_H_
#define MCPCRED_CLIENT_CLI_IMPORT_IMPORT_APPLY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "import_plan.h"
#include "mcpcred/client.h"

namespace mcpcred::cli::import {

// Returns one line per thing done, for people (no value in any). The error
// says what failed and that nothing was changed (or, past step 4, which
// host files were not rewritten).
absl::StatusOr<std::vector<std::string>> ApplyPlan(Client& client,
                                                   const ImportPlan& plan,
                                                   const Places& places);

// The first free backup name for `path`: PATH.mcpcred-backup, else
// PATH.mcpcred-backup.2, .3, ...
std::string FreeBackupPath(const std::string& path);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_IMPORT_APPLY_H_

// Small filesystem helpers for files that hold or guard secrets.
#ifndef MCPCRED_AGENT_UTIL_FS_H_
#define MCPCRED_AGENT_UTIL_FS_H_

#include <sys/stat.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcred {

// "a/b/c" -> "a/b"; "c" -> "."; "/c" -> "/".
std::string Dirname(const std::string& path);

// Creates `dir` and missing parents; directories it creates get mode 0700.
// An existing `dir` is then checked with CheckPrivateDir.
absl::Status MakePrivateDirs(const std::string& dir);

// Returns FAILED_PRECONDITION, saying what to fix, if `dir` is not a directory
// owned by this process's uid with no group or other permissions. A symbolic
// link is refused, even to such a directory, with a message that says so and
// names its target.
absl::Status CheckPrivateDir(const std::string& dir);

// For what the agent trusts to run code or to say what code to run (plugins,
// the config): whoever can write it is the agent. Returns PERMISSION_DENIED
// unless `st` belongs to root or to this process's euid and is not writable
// by group or others. The message reads "WHAT PATH belongs to uid N ..." or
// "WHAT PATH is writable by group or others ..." and says the chown or chmod
// to run.
absl::Status CheckNotWritableByOthers(const struct stat& st,
                                      absl::string_view what,
                                      const std::string& path);

// Checks `dir` and every directory above it, symlinks resolved, with
// CheckNotWritableByOthers: another user who can rename any of them can swap
// what lies below. A sticky parent (like /tmp) is accepted, since others
// cannot rename what they do not own in it; `dir` itself never is. Returns
// NOT_FOUND if `dir` does not exist, PERMISSION_DENIED naming `what` and the
// offending directory otherwise.
absl::Status CheckTrustedDir(const std::string& dir, absl::string_view what);

// Opens the code file `path` (a plugin, an internal module) for dlopen() of
// /proc/self/fd/N, and checks the open file, never the path again: the agent
// then loads exactly the file it checked, so another user cannot swap it
// between the check and the load, and a symlink is not followed. Returns the
// fd (close-on-exec), or NOT_FOUND ("WHAT PATH not found"), PERMISSION_DENIED
// (a symbolic link, unreadable, or CheckNotWritableByOthers), or
// INVALID_ARGUMENT (not a regular file), each message naming `what` and
// `path`. If `out` is not null, it receives the open file's status (its device
// and inode say which file it is).
absl::StatusOr<int> OpenTrustedFile(const std::string& path,
                                    absl::string_view what,
                                    struct stat* out = nullptr);

// `reldir` (relative to the installation prefix, e.g. "lib/mcpcred/plugins")
// as seen from this executable, which lives in the prefix's bin directory:
// "<exe dir>/../RELDIR". The same rule holds in the build tree, whose bin/
// and lib/ mirror the installed layout. "" if /proc/self/exe is unreadable.
std::string PathFromExecutable(absl::string_view reldir);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_FS_H_

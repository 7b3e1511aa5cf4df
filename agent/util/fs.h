// Small filesystem helpers for files that hold or guard secrets.
#ifndef MCPCRED_AGENT_UTIL_FS_H_
#define MCPCRED_AGENT_UTIL_FS_H_

#include <string>

#include "absl/status/status.h"

namespace mcpcred {

// "a/b/c" -> "a/b"; "c" -> "."; "/c" -> "/".
std::string Dirname(const std::string& path);

// Creates `dir` and missing parents; directories it creates get mode 0700.
// An existing `dir` is then checked with CheckPrivateDir.
absl::Status MakePrivateDirs(const std::string& dir);

// Returns FAILED_PRECONDITION, saying what to fix, if `dir` is not a directory
// owned by this process's uid with no group or other permissions.
absl::Status CheckPrivateDir(const std::string& dir);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_FS_H_

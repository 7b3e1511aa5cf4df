// Whole-file reads and crash-safe whole-file replacement, for the files that
// hold secrets (the agent's file store and its key) and the config files
// `mcpcred import` rewrites.
//
// Thread-safe: no shared state. Writers to the same path must still be
// serialised by the caller.
#ifndef MCPCRED_COMMON_ATOMIC_FILE_H_
#define MCPCRED_COMMON_ATOMIC_FILE_H_

#include <sys/stat.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcred {

// Replaces `path` with `data` so that a crash, a full disk or a read-only
// directory leaves the old file or the new one, never a mix: a temporary file
// in the same directory is written, fsynced and renamed over `path`, then the
// directory is fsynced so the rename itself survives a crash (a failure of
// that last step is not an error, since `path` already holds the new data: it
// is described in `*sync_warning` when given). On failure the temporary file
// is removed and `path` is untouched.
//
// The new file gets `mode`. With `no_replace` an existing `path` is kept and
// ALREADY_EXISTS returned (for a key that another process may have just
// created). Errors name `path` and say what happened: RESOURCE_EXHAUSTED for
// a full disk or quota (ENOSPC, EDQUOT, EFBIG), PERMISSION_DENIED for a
// read-only or unwritable directory, INTERNAL otherwise.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view data, mode_t mode,
                                 bool no_replace = false,
                                 std::string* sync_warning = nullptr);

// Reads the regular file `path` whole, filling `*info` (may be null) from
// the open file. NOT_FOUND if it does not exist; FAILED_PRECONDITION if it is
// not a regular file or is larger than `max_bytes`.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          size_t max_bytes,
                                          struct stat* info = nullptr);

// A status for a failed system call on `path`, with the code chosen from
// `err` as WriteFileAtomically describes.
absl::Status FileError(int err, absl::string_view action,
                       const std::string& path);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_ATOMIC_FILE_H_

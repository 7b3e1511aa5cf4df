// Reads the config file with errors worded for the person who owns it.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_CONFIG_READ_CONFIG_TEXT_H_
#define MCPCRED_AGENT_CONFIG_READ_CONFIG_TEXT_H_

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred::config {

// Returns the whole content of `path`. Returns NOT_FOUND "config file PATH not
// found" if it does not exist, PERMISSION_DENIED "cannot read config file
// PATH: REASON" if it cannot be opened or read, and PERMISSION_DENIED saying
// the chown or chmod to run if the file is not a regular file, or the file
// (after symlinks), its directory or a parent of that is owned by another
// user than root or this one, or writable by group or others (see
// CheckTrustedDir: a sticky parent such as /tmp is accepted).
absl::StatusOr<std::string> ReadConfigText(const std::string& path);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_READ_CONFIG_TEXT_H_

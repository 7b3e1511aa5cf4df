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
// PATH: REASON" if it cannot be opened or read.
absl::StatusOr<std::string> ReadConfigText(const std::string& path);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_READ_CONFIG_TEXT_H_

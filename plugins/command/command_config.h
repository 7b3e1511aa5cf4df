// The "command" provider's configuration, validated once when a credential is
// created so that a broken entry shows up in `mcpcred list` at once instead of
// on the first request.
#ifndef MCPCRED_PLUGINS_COMMAND_COMMAND_CONFIG_H_
#define MCPCRED_PLUGINS_COMMAND_COMMAND_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace mcpcred::command {

struct CommandConfig {
  // argv[0] is an absolute path: "~/" expanded and PATH searched at create.
  std::vector<std::string> argv;
  absl::Duration timeout = absl::Seconds(10);
  std::string working_directory;  // absolute; empty: the agent's own
};

// Parses the provider keys of one credential. `environment_path` is the PATH
// a bare program name is looked up in and `home` what "~/" expands to.
// Errors, with *error_key set to the offending key:
//   INVALID_ARGUMENT  a key has the wrong type or an out-of-range value, the
//                     command is empty, or a path is relative;
//   NOT_FOUND         the program or the working directory does not exist,
//                     or the program is not an executable file.
absl::StatusOr<CommandConfig> ParseCommandConfig(
    const nlohmann::json& config, const std::string& environment_path,
    const std::string& home, std::string* error_key);

// $HOME, or the password database's entry when HOME is unset; "" if neither.
std::string HomeDirectory();

// "~" and "~/rest" become `home` and `home`/rest; anything else is unchanged.
std::string ExpandHome(const std::string& path, const std::string& home);

// Returns OK if `path` is a regular file this process may execute; NOT_FOUND
// saying what is wrong otherwise.
absl::Status CheckExecutable(const std::string& path);

// Returns OK if `path` is a directory; NOT_FOUND saying what is wrong
// otherwise.
absl::Status CheckDirectory(const std::string& path);

}  // namespace mcpcred::command

#endif  // MCPCRED_PLUGINS_COMMAND_COMMAND_CONFIG_H_

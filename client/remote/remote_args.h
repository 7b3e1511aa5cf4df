// The command line of mcpcred-remote:
//   mcpcred-remote [--socket PATH] [--open] NAME URL
#ifndef MCPCRED_CLIENT_REMOTE_REMOTE_ARGS_H_
#define MCPCRED_CLIENT_REMOTE_REMOTE_ARGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcred::remote {

struct RemoteArgs {
  bool help = false;          // -h/--help: nothing else is filled in.
  std::string socket_path;    // Empty: the default socket.
  bool open_browser = false;  // --open: step-up logins open xdg-open
  std::string name;
  std::string url;
};

// Parses `args` (argv without argv[0]): `--opt VALUE` or `--opt=VALUE`
// anywhere. INVALID_ARGUMENT (a usage error) for an unknown option, a
// missing value, no NAME, no URL (the agent does not tell clients a
// credential's resource), a URL that is not http(s), or extra arguments.
absl::StatusOr<RemoteArgs> ParseRemoteArgs(
    const std::vector<std::string>& args);

// The usage text, for --help and after a usage error.
const char* RemoteUsage();

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_REMOTE_ARGS_H_

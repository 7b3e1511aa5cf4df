// The command line of mcpcred-exec:
//   mcpcred-exec [--socket PATH] [--min-ttl SECONDS] [--pass-socket]
//                NAME [NAME...] -- COMMAND [ARG...]
// Parsed by hand: everything after `--` belongs to COMMAND untouched, which
// option libraries tend to get subtly wrong.
#ifndef MCPCRED_CLIENT_EXEC_EXEC_ARGS_H_
#define MCPCRED_CLIENT_EXEC_EXEC_ARGS_H_

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcred::exec {

struct ExecArgs {
  bool help = false;        // -h/--help: nothing else is filled in.
  std::string socket_path;  // Empty: the default socket.
  std::chrono::seconds min_ttl{0};
  // --pass-socket: COMMAND gets MCPCRED_SOCK (else it is removed).
  bool pass_socket = false;
  std::vector<std::string> names;    // At least one.
  std::vector<std::string> command;  // COMMAND [ARG...]; at least COMMAND.
};

// Parses `args` (argv without argv[0]). Options go anywhere before `--`, as
// `--opt VALUE` or `--opt=VALUE`. Returns INVALID_ARGUMENT, a usage error,
// for an unknown option, a missing or bad value, no NAME, no `--`, or no
// COMMAND.
absl::StatusOr<ExecArgs> ParseExecArgs(const std::vector<std::string>& args);

// The usage text, for --help and after a usage error.
const char* ExecUsage();

}  // namespace mcpcred::exec

#endif  // MCPCRED_CLIENT_EXEC_EXEC_ARGS_H_

// The command line of mcpcred-exec:
//   mcpcred-exec [--socket PATH] [--min-ttl SECONDS] [--relay] [--no-mask]
//                [--drain-timeout SECONDS] [--start-timeout SECONDS]
//                [--on-rotate restart|signal:NAME|none] [--pass-socket]
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

// What the relay does when a credential rotates.
enum class RotateMode {
  kRestart,  // a new server instance takes over the session
  kSignal,   // $MCPCRED_ENV_FILE is rewritten and the server signalled
  kNone,     // nothing: the server keeps the value it started with
};

struct ExecArgs {
  bool help = false;        // -h/--help: nothing else is filled in.
  std::string socket_path;  // Empty: the default socket.
  // --min-ttl; `min_ttl_given` says whether it was on the command line (the
  // relay's default differs from a plain exec's).
  std::chrono::seconds min_ttl{0};
  // --pass-socket: COMMAND gets MCPCRED_SOCK (else it is removed).
  bool pass_socket = false;
  bool min_ttl_given = false;
  // --relay: relay even when no credential expires.
  bool relay = false;
  // --no-mask: the relay passes the server's output on unmasked.
  bool mask = true;
  std::chrono::seconds drain_timeout{30};
  std::chrono::seconds start_timeout{30};
  RotateMode on_rotate = RotateMode::kRestart;
  int rotate_signal = 0;             // with kSignal
  std::vector<std::string> names;    // At least one.
  std::vector<std::string> command;  // COMMAND [ARG...]; at least COMMAND.
};

// Parses `args` (argv without argv[0]). Options go anywhere before `--`, as
// `--opt VALUE` or `--opt=VALUE` (flags as `--flag`). Returns
// INVALID_ARGUMENT, a usage error, for an unknown option, a missing or bad
// value, no NAME, no `--`, or no COMMAND.
absl::StatusOr<ExecArgs> ParseExecArgs(const std::vector<std::string>& args);

// The usage text, for --help and after a usage error.
const char* ExecUsage();

}  // namespace mcpcred::exec

#endif  // MCPCRED_CLIENT_EXEC_EXEC_ARGS_H_

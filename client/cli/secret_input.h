// How `mcpcred add` reads a secret: never from argv (where `ps` and shell
// history would show it), but from stdin when that is a pipe or a file, or
// else from a prompt on the terminal that does not echo what is typed.
#ifndef MCPCRED_CLIENT_CLI_SECRET_INPUT_H_
#define MCPCRED_CLIENT_CLI_SECRET_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred::cli {

// The most `mcpcred add` accepts, as the agent does.
inline constexpr size_t kMaxSecretBytes = 64 << 10;

// True if stdin is a terminal (so ReadSecret will prompt).
bool StdinIsTerminal();

// Reads the secret. From a pipe or file: all of stdin, less one trailing
// newline ("\n" or "\r\n", as `echo` and editors leave). From a terminal:
// one line typed after `prompt` (shown on stderr) with echo off; the terminal
// is restored on return and on SIGINT, SIGTERM, SIGHUP and SIGQUIT, which
// then end the process as usual. INVALID_ARGUMENT if the secret is empty or
// larger than kMaxSecretBytes.
absl::StatusOr<SecretString> ReadSecret(const std::string& prompt);

}  // namespace mcpcred::cli

#endif  // MCPCRED_CLIENT_CLI_SECRET_INPUT_H_

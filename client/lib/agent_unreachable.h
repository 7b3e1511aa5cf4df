// Telling "no agent listens on the socket" apart from errors the agent itself
// returns: both arrive as UNAVAILABLE, but only the first is fixed by starting
// an agent, so only the first gets the how-to-start message.
#ifndef MCPCRED_CLIENT_LIB_AGENT_UNREACHABLE_H_
#define MCPCRED_CLIENT_LIB_AGENT_UNREACHABLE_H_

#include <string>

#include "absl/status/status.h"

namespace mcpcred::client_internal {

// UNAVAILABLE, saying how to start an agent on `socket_path`, and marked so
// that IsAgentUnreachable() recognizes it.
absl::Status AgentUnreachableError(const std::string& socket_path);

// `status` (the failure to find a socket path at all) turned into UNAVAILABLE
// with the same message, marked like AgentUnreachableError: without a socket
// no agent can answer either.
absl::Status MarkAgentUnreachable(const absl::Status& status);

// True if connecting to the Unix socket at `socket_path` fails because nothing
// is there (no such file, or a stale socket nobody listens on). Other failures
// (e.g. permission denied) return false: starting an agent would not fix them.
bool NothingListensOn(const std::string& socket_path);

}  // namespace mcpcred::client_internal

#endif  // MCPCRED_CLIENT_LIB_AGENT_UNREACHABLE_H_

// Asks the person a yes/no question through an askpass program, the way
// `ssh-add -c` confirms each use of a key: the program gets the question as
// argv[1] and SSH_ASKPASS_PROMPT=confirm in its environment (ssh-askpass
// then shows yes/no buttons), and the answer is yes when it exits 0 with
// nothing or "yes" (any case) on stdout, as OpenSSH reads it. Anything else
// is no.
//
// Thread-safety: RunAskpass blocks its thread until the answer; run it off
// gRPC's threads.
#ifndef MCPCRED_AGENT_POLICY_ASKPASS_H_
#define MCPCRED_AGENT_POLICY_ASKPASS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mcpcred {

// $MCPCRED_ASKPASS, else $SSH_ASKPASS, else "".
std::string AskpassProgram();

// Whether the program's exit status and stdout mean yes.
bool IsYesAnswer(int exit_status, absl::string_view output);

// Runs `program question` (no shell) in a process group of its own, with
// stdin from /dev/null and stderr to the agent's. Returns true for yes, false
// for no; DEADLINE_EXCEEDED when it has not answered within `timeout`, or
// CANCELLED when `cancel_fd` became readable first (the process group is
// killed in both cases); UNAVAILABLE when it cannot be started.
absl::StatusOr<bool> RunAskpass(const std::string& program,
                                const std::string& question,
                                absl::Duration timeout, int cancel_fd);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_ASKPASS_H_

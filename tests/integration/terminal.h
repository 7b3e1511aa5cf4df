// Programs on a pseudo-terminal, as a person runs them: for prompts that
// behave differently when stdin is a terminal.
#ifndef MCPCRED_TESTS_INTEGRATION_TERMINAL_H_
#define MCPCRED_TESTS_INTEGRATION_TERMINAL_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/integration/run_command.h"

namespace mcpcred::testing {

// Starts `argv` (argv[0] a path) with exactly `env`, in directory `dir`
// ("": this one), on a new pseudo-terminal; *master is the terminal's other
// end. Returns the pid, or -1 if it cannot start.
pid_t StartOnTerminal(const std::vector<std::string>& argv,
                      const Environment& env, const std::string& dir,
                      int* master);

// Waits for `pid` to exit, killing it at a safety limit (a program stuck at
// its prompt must fail the test, not hang it). Returns the wait status.
int WaitOrKill(pid_t pid);

// Reads what the terminal shows, appended to `seen`, until `needle` appears
// or a safety limit passes.
std::string ReadUntil(int fd, const std::string& needle, std::string seen);

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_INTEGRATION_TERMINAL_H_

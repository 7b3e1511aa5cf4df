// Runs one program to completion with its output captured, a deadline, and
// nothing inherited from the agent that the program should not see.
//
// Thread-safe: no shared state. Safe in a multi-threaded process because the
// child is started with posix_spawn() (glibc: clone(CLONE_VFORK) + execve),
// so no code runs in a forked copy of the agent's threads.
#ifndef MCPCRED_PLUGINS_COMMAND_SUBPROCESS_H_
#define MCPCRED_PLUGINS_COMMAND_SUBPROCESS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mcpcred::command {

struct SubprocessOptions {
  std::vector<std::string> argv;  // argv[0]: absolute path of the program
  std::vector<std::string> env;   // "NAME=value", the child's whole environ
  std::string working_directory;  // empty: inherit the agent's
  absl::Duration timeout = absl::Seconds(10);
  size_t max_stdout = 64 * 1024;  // more than this ends the run
  size_t max_stderr = 4 * 1024;   // kept; the rest is read and dropped
};

struct SubprocessResult {
  enum class End {
    kExited,          // exit_status is set
    kSignaled,        // term_signal is set
    kTimedOut,        // killed at the deadline
    kOutputTooLarge,  // killed after printing more than max_stdout
  };
  End end = End::kExited;
  int exit_status = 0;
  int term_signal = 0;
  // Complete only for kExited and kSignaled; empty otherwise. May hold a
  // secret: the caller wipes it (WipeString) once done.
  std::string out;
  std::string err;  // the first max_stderr bytes
};

// Starts the program in a new process group with stdin on /dev/null,
// stdout/stderr on pipes, every other descriptor closed, an empty signal mask
// and default signal dispositions, and waits for it. On timeout or oversized
// output the whole process group gets SIGKILL. The program is always reaped
// before this returns. A descendant that leaves the group (setsid) or holds
// the pipes open after the program exits is not waited for.
// Errors: NOT_FOUND when the program or working directory cannot be used
// (execve failed with ENOENT, EACCES, ENOEXEC...); INTERNAL when the agent
// could not create pipes or a process.
absl::StatusOr<SubprocessResult> RunSubprocess(
    const SubprocessOptions& options);

// Overwrites the contents before they are freed.
void WipeString(std::string* s);

}  // namespace mcpcred::command

#endif  // MCPCRED_PLUGINS_COMMAND_SUBPROCESS_H_

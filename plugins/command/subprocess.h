// Runs one program to completion with its output captured, a deadline, and
// nothing inherited from the agent that the program should not see.
//
// Thread-safe. Safe in a multi-threaded process: the child is started with
// fork() + execve(), and between the two it makes only async-signal-safe
// system calls on what was prepared before fork(). Not posix_spawn(): it
// cannot set PR_SET_PDEATHSIG, which has the kernel kill the program when the
// agent dies, even by SIGKILL.
#ifndef MCPCRED_PLUGINS_COMMAND_SUBPROCESS_H_
#define MCPCRED_PLUGINS_COMMAND_SUBPROCESS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "mcpcred/common/secret_string.h"  // WipeString

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
// stdout/stderr on pipes, every other descriptor closed, an empty signal mask,
// default signal dispositions and SIGKILL as its parent-death signal, and
// waits for it. The parent-death signal follows the calling thread, which
// waits here until the program is reaped. On timeout or oversized
// output the whole process group gets SIGKILL. The program is always reaped
// before this returns. A descendant that leaves the group (setsid) or holds
// the pipes open after the program exits is not waited for.
// Errors: NOT_FOUND when the program or working directory cannot be used
// (execve failed with ENOENT, EACCES, ENOEXEC...); INTERNAL when the agent
// could not create pipes or a process; UNAVAILABLE after
// StopAllSubprocesses().
absl::StatusOr<SubprocessResult> RunSubprocess(
    const SubprocessOptions& options);

// For the agent's stop: kills the process group of every program running
// now (their RunSubprocess calls return soon, as if killed by a signal) and
// refuses to start any more.
void StopAllSubprocesses();

}  // namespace mcpcred::command

#endif  // MCPCRED_PLUGINS_COMMAND_SUBPROCESS_H_

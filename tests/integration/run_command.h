// Runs a real program for an integration test: fork/exec with an explicit
// argv and environment, optional stdin, stdout and stderr captured in full.
//
// Output goes to anonymous files rather than pipes, so a program that leaves
// a daemon holding its stdout or stderr (`mcpcred-agent -s`) still returns,
// and nothing can deadlock on a full pipe.
#ifndef MCPCRED_TESTS_INTEGRATION_RUN_COMMAND_H_
#define MCPCRED_TESTS_INTEGRATION_RUN_COMMAND_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mcpcred::testing {

// A complete environment: nothing is inherited implicitly.
using Environment = std::map<std::string, std::string>;

struct CommandSpec {
  // argv[0] is a path, or a name looked up in the test's own $PATH.
  std::vector<std::string> argv;
  Environment env;
  // Fed on stdin when set; otherwise stdin is /dev/null.
  std::optional<std::string> stdin_text;
  // When set, stdout and stderr are appended to this file (created 0600)
  // instead of being captured: for long-lived processes such as the agent,
  // whose log must outlive them.
  std::string output_path;
  // A safety limit, never an assertion: past it the process group is killed
  // and the result says timed_out.
  absl::Duration timeout = absl::Seconds(60);
};

struct CommandResult {
  // The exit status, or -1 when the process died of a signal.
  int exit_code = -1;
  // The terminating signal, or 0.
  int term_signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;

  // "exit 3" / "signal 9" / "timed out", for failure messages.
  std::string Outcome() const;
};

// A started child process in its own process group, killed (SIGKILL) if this
// process dies first. Start it from the thread that will wait for it: the
// kernel ties that signal to the thread. Not thread-safe.
class Subprocess {
 public:
  // Forks and execs spec.argv. The error names what could not be set up.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const CommandSpec& spec);

  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  // Kills the process group and reaps the child if still running.
  ~Subprocess();

  pid_t pid() const { return pid_; }

  // True once the child has exited (reaping it); never blocks.
  bool Finished();

  // Waits up to `limit` for the child to exit; true if it did.
  bool WaitFor(absl::Duration limit);

  // Waits for the child to exit, killing its process group at the safety
  // limit, and returns its status and output.
  CommandResult Wait();

  // Sends `sig` to the child (not its group). False once it was reaped.
  bool Signal(int sig);

 private:
  Subprocess() = default;
  void Reap(int status);

  pid_t pid_ = -1;
  bool reaped_ = false;
  bool captured_ = true;
  int wait_status_ = 0;
  int out_fd_ = -1;
  int err_fd_ = -1;
  absl::Time deadline_;
};

// Start + Wait. A failure to start is reported as exit code 127 with the
// reason in `err`.
CommandResult RunCommand(const CommandSpec& spec);

// argv and envp for execve(), built before fork(): after it, the child may
// only make async-signal-safe calls. The pointers live as long as this.
class ExecVectors {
 public:
  ExecVectors(const std::vector<std::string>& argv, const Environment& env);
  ExecVectors(const ExecVectors&) = delete;
  ExecVectors& operator=(const ExecVectors&) = delete;
  char** argv() { return argv_.data(); }
  char** envp() { return envp_.data(); }

 private:
  std::vector<std::string> args_;
  std::vector<std::string> env_entries_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

// Looks `name` up in $PATH (of this process) unless it contains a slash.
// Returns "" when not found.
std::string FindProgram(const std::string& name);

// Reads a whole file; "" when it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

// Writes `text` to `path` with `mode`, replacing the file.
void WriteFileOrDie(const std::string& path, const std::string& text,
                    mode_t mode = 0600);

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_INTEGRATION_RUN_COMMAND_H_

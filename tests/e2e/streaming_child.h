// A child process whose stdout the test reads line by line while it runs:
// `mcpcred login --json` (the test plays the user's browser between its
// events) and the Node peers (one JSON line once they listen).
//
// run_command's Subprocess captures output into files read at the end; this
// one reads stdout from a pipe as it comes, and can hold the child's stdin
// open on a pipe (the peers exit when it closes).
#ifndef MCPCRED_TESTS_E2E_STREAMING_CHILD_H_
#define MCPCRED_TESTS_E2E_STREAMING_CHILD_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/run_command.h"

namespace mcpcred::testing {

struct StreamingOptions {
  // stdin is a pipe the test holds (CloseStdin() ends it); else /dev/null.
  bool pipe_stdin = false;
  // When set, stderr is appended to this file; else it is captured.
  std::string stderr_path;
};

// One child in its own process group, killed (SIGKILL) if the test dies
// first. Start it from the thread that waits for it. spec.stdin_text,
// spec.output_path and spec.timeout are not used. Not thread-safe.
class StreamingChild {
 public:
  static absl::StatusOr<std::unique_ptr<StreamingChild>> Start(
      const CommandSpec& spec, const StreamingOptions& options = {});

  StreamingChild(const StreamingChild&) = delete;
  StreamingChild& operator=(const StreamingChild&) = delete;
  // Kills the process group and reaps the child if it still runs.
  ~StreamingChild();

  pid_t pid() const { return pid_; }

  // The next line of stdout, without its newline. NOT_FOUND once stdout
  // ended with no line left, DEADLINE_EXCEEDED after `limit` (a safety
  // bound, never an assertion).
  absl::StatusOr<std::string> ReadLine(absl::Duration limit);

  // Writes `text` to the child's stdin (pipe_stdin only); false if it could
  // not be written whole.
  bool WriteStdin(const std::string& text);
  // Closes the pipe on the child's stdin (pipe_stdin only).
  void CloseStdin();

  // Sends `sig` to the child (not its group). False once it was reaped.
  bool Signal(int sig);

  // True once the child has exited (reaping it); never blocks.
  bool Finished();

  // Waits up to `limit` for the child to exit, then kills its group; returns
  // its status, all of stdout (also the lines ReadLine returned) and, when
  // captured, stderr.
  CommandResult Wait(absl::Duration limit);

  // Captured stderr so far ("" when it goes to a file).
  std::string Stderr() const;

 private:
  StreamingChild() = default;
  // Reads what stdout has now into pending_; false at EOF or error.
  bool Drain();
  void KillAndReap();

  pid_t pid_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
  int out_fd_ = -1;  // read end of the stdout pipe, non-blocking
  int in_fd_ = -1;   // write end of the stdin pipe, or -1
  int err_fd_ = -1;  // captured stderr (memfd), or -1
  bool out_eof_ = false;
  std::string pending_;  // stdout read but not returned by ReadLine
  std::string all_out_;  // all stdout read
};

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_E2E_STREAMING_CHILD_H_

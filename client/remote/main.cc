// mcpcred-remote: a stdio MCP server that relays to a remote MCP server over
// HTTP with a credential from mcpcred-agent (bridge.h).
//
// Its stdout is the host's JSON-RPC channel from the first byte: the
// original stdout is kept for the bridge alone and fd 1 is pointed at stderr,
// so that no library (or --help) can ever write to the host.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bridge.h"
#include "remote_args.h"
#include "tool_util.h"

namespace mcpcred::remote {
namespace {

int Main(int argc, char** argv) {
  // A host that went away must not kill the bridge mid-write: the write
  // fails and the bridge ends in order.
  signal(SIGPIPE, SIG_IGN);
  int host_out = dup(STDOUT_FILENO);
  if (host_out < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("mcpcred-remote: cannot set up stdout");
    return kExitError;
  }

  absl::StatusOr<RemoteArgs> args =
      ParseRemoteArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) {
    std::string line = ErrorLine("mcpcred-remote", args.status().message());
    std::fputs(line.c_str(), stderr);
    std::fputs(RemoteUsage(), stderr);
    return kExitUsage;
  }
  if (args->help) {
    std::fputs(RemoteUsage(), stderr);
    return kExitOk;
  }
  return RunBridge(*args, STDIN_FILENO, host_out);
}

}  // namespace
}  // namespace mcpcred::remote

int main(int argc, char** argv) { return mcpcred::remote::Main(argc, argv); }

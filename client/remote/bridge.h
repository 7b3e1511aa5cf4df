// mcpcred-remote as a whole: reads the host's JSON-RPC lines from stdin,
// relays each (concurrently) through a RemoteSession with the credential's
// headers, and writes every answer, masked, to the host. At end of input
// (or on SIGTERM, SIGINT, SIGHUP) it lets running exchanges finish
// (briefly), ends the remote session and reports its redaction counts.
#ifndef MCPCRED_CLIENT_REMOTE_BRIDGE_H_
#define MCPCRED_CLIENT_REMOTE_BRIDGE_H_

#include "remote_args.h"

namespace mcpcred::remote {

// Runs the bridge with the host on `host_in` / `host_out`; returns the exit
// code.
int RunBridge(const RemoteArgs& args, int host_in, int host_out);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_BRIDGE_H_

// What the host hears when a message could not be relayed: a request gets a
// JSON-RPC error response (so the host never waits for an answer that will
// not come), and stderr gets a line. Nothing here quotes a header or a body
// unmasked, on stdout or stderr.
#ifndef MCPCRED_CLIENT_REMOTE_FAILURES_H_
#define MCPCRED_CLIENT_REMOTE_FAILURES_H_

#include <string>

#include "absl/status/status.h"
#include "host_message.h"
#include "host_output.h"
#include "http_types.h"

namespace mcpcred::remote {

// The exchange failed before an HTTP answer: no agent, login needed
// (kErrorLoginRequired), server unreachable, bridge stopping.
void ReportFailure(HostOutput* host, const HostMessage& message,
                   const absl::Status& status);

// The server answered a non-2xx status. A body holding a JSON-RPC error is
// passed on with the request's id; otherwise the error names the status and
// what a Bearer challenge asked for.
void ReportHttpError(HostOutput* host, const HostMessage& message,
                     const HttpResponse& response);

// "HTTP 403 (insufficient_scope, scope \"mcp:write\")", for messages.
std::string DescribeHttpError(const HttpResponse& response);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_FAILURES_H_

// Which network addresses the agent's HTTP client may connect to. Tokens go
// only where the user pointed them: discovered endpoints must not reach into
// the local network (SSRF), and plain http is for loopback alone.
#ifndef MCPCRED_AGENT_HTTP_ADDRESS_POLICY_H_
#define MCPCRED_AGENT_HTTP_ADDRESS_POLICY_H_

#include <sys/socket.h>

#include <string>

#include "absl/status/status.h"

namespace mcpcred {

enum class AddressClass {
  kLoopback,   // 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104
  kPrivate,    // 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7
  kLinkLocal,  // 169.254/16, fe80::/10
  kForbidden,  // unspecified, multicast, broadcast, other families
  kPublic,
};

AddressClass ClassifyAddress(const sockaddr* address, socklen_t length);

// Returns PERMISSION_DENIED saying why, if a connection for a URL with
// `scheme` ("http" or "https") may not go to `address`: http only to
// loopback; never to forbidden addresses; private and link-local only when
// `allow_private`.
absl::Status CheckConnectAddress(const std::string& scheme,
                                 const sockaddr* address, socklen_t length,
                                 bool allow_private);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_HTTP_ADDRESS_POLICY_H_

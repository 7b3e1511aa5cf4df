// Where each JSON-RPC request in flight belongs, when one host talks to
// several server instances (the current one and those draining after a
// rotation):
//  - a host request is answered by the instance it was sent to; its id is
//    the host's and is never changed (the host's ids are unique among its
//    requests in flight, whichever instance holds them);
//  - a server's request to the host (sampling, roots, elicitation, ...) gets
//    a relay id unique over every instance, so two instances that both use
//    id 1 never collide at the host; the host's answer is routed back to the
//    instance that asked, with the instance's own id.
//
// Thread-compatible.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_ID_ROUTER_H_
#define MCPCRED_CLIENT_EXEC_RELAY_ID_ROUTER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "relay/jsonrpc.h"

namespace mcpcred::exec::relay {

struct HostRequest {
  int instance = 0;
  Json id;
  std::string method;
};

struct ServerRequest {
  int instance = 0;
  Json id;  // the instance's own id
};

class IdRouter {
 public:
  // A host request (by IdKey of its id) was sent to `instance`. A request
  // that reuses the key of one still in flight replaces it.
  void AddHostRequest(const std::string& key, HostRequest request);
  // The request the response with this key answers, if `instance` holds it;
  // it is no longer in flight.
  std::optional<HostRequest> TakeHostResponse(int instance,
                                              const std::string& key);
  // The host request in flight with this key, or null.
  const HostRequest* FindHostRequest(const std::string& key) const;
  // Every host request in flight on `instance`, no longer in flight.
  std::vector<HostRequest> TakeHostRequestsOf(int instance);
  size_t HostRequestsOf(int instance) const;

  // A request of `instance` with its id `id`: the id the host sees.
  Json MapServerRequest(int instance, const Json& id);
  // The host answered the request with relay id key `key`: where it goes.
  std::optional<ServerRequest> TakeServerRequest(const std::string& key);
  // The relay id of `instance`'s request `id`, if it is in flight (for the
  // instance's own notifications/cancelled).
  std::optional<Json> RelayIdOf(int instance, const Json& id) const;
  // Forgets the server requests of an instance that has ended.
  void ForgetInstance(int instance);

  size_t host_requests() const { return host_.size(); }
  size_t server_requests() const { return server_.size(); }

 private:
  std::map<std::string, HostRequest> host_;
  std::map<std::string, ServerRequest> server_;  // by IdKey of the relay id
  // (instance, IdKey of its id) -> relay id
  std::map<std::pair<int, std::string>, int64_t> relay_ids_;
  int64_t next_relay_id_ = 1;
};

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_ID_ROUTER_H_

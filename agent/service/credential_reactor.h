// The reactor of a GetCredential call. A request that waits for a fetch holds
// a place in its credential's queue (capped per credential); when the client
// gives up (cancels, passes its deadline, or closes the connection), the
// request leaves that queue at once and its place is free, rather than being
// held until the fetch ends.
#ifndef MCPCRED_AGENT_SERVICE_CREDENTIAL_REACTOR_H_
#define MCPCRED_AGENT_SERVICE_CREDENTIAL_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include "agent/broker/broker.h"

namespace mcpcred {

// Thread-safe. Deletes itself when gRPC is done with the call.
class CredentialReactor final : public grpc::ServerUnaryReactor {
 public:
  // `broker` must outlive the call.
  explicit CredentialReactor(Broker* broker) : broker_(broker) {}

  // Where Broker::Get (or ForceRefresh) describes the request if it waits.
  // Write it only from the method handler, before it returns the reactor.
  PendingRequest* pending() { return &pending_; }

  void OnCancel() override;
  void OnDone() override { delete this; }

 private:
  Broker* const broker_;
  // Written by the handler before gRPC may call OnCancel (after the handler
  // returns), so it needs no lock.
  PendingRequest pending_;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_CREDENTIAL_REACTOR_H_

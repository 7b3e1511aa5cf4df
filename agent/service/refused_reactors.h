// Reactors for streaming calls refused before they start (the agent is
// locked; the RPC is not served on the forwarding socket): they finish with
// the given status at once.
#ifndef MCPCRED_AGENT_SERVICE_REFUSED_REACTORS_H_
#define MCPCRED_AGENT_SERVICE_REFUSED_REACTORS_H_

#include <grpcpp/grpcpp.h>

namespace mcpcred {

// Deletes itself when gRPC is done with the call.
template <typename Response>
class RefusedWriteReactor final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedWriteReactor(const grpc::Status& status) {
    this->Finish(status);
  }
  void OnDone() override { delete this; }
};

// Deletes itself when gRPC is done with the call.
template <typename Request, typename Response>
class RefusedBidiReactor final
    : public grpc::ServerBidiReactor<Request, Response> {
 public:
  explicit RefusedBidiReactor(const grpc::Status& status) {
    this->Finish(status);
  }
  void OnDone() override { delete this; }
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_REFUSED_REACTORS_H_

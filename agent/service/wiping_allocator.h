// A gRPC message allocator that wipes the secrets of an RPC's messages once
// gRPC is done with them: protobuf holds strings in ordinary memory, so a
// token served or a secret added would otherwise stay in freed heap.
//
// Thread-safe: gRPC calls AllocateMessages() from any thread; each holder is
// used by one RPC.
#ifndef MCPCRED_AGENT_SERVICE_WIPING_ALLOCATOR_H_
#define MCPCRED_AGENT_SERVICE_WIPING_ALLOCATOR_H_

#include <grpcpp/support/message_allocator.h>

namespace mcpcred {

// `Wipe` is called with the request and the response when the RPC is done
// (its response sent or the call cancelled), before they are freed.
template <typename Request, typename Response,
          void (*Wipe)(Request*, Response*)>
class WipingMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder();
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() {
      this->set_request(&request_);
      this->set_response(&response_);
    }
    void Release() override {
      Wipe(&request_, &response_);
      delete this;
    }

   private:
    Request request_;
    Response response_;
  };
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_WIPING_ALLOCATOR_H_

// The RedactStream RPC: redacts a stream of any length, one request at a
// time, with one StreamRedactor for the whole call so that a value split
// between two requests is found. Reads the next request only after the
// previous answer is written: a client that sends faster than it reads is
// slowed down, never buffered without bound.
#ifndef MCPCRED_AGENT_SERVICE_REDACT_STREAM_REACTOR_H_
#define MCPCRED_AGENT_SERVICE_REDACT_STREAM_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "mcpcred/common/stream_redactor.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

// Deletes itself when gRPC is done with the call. Called by gRPC one
// callback at a time, so it needs no lock.
class RedactStreamReactor final
    : public grpc::ServerBidiReactor<v1::RedactRequest, v1::RedactResponse> {
 public:
  static constexpr size_t kMaxChunk = 1 << 20;

  explicit RedactStreamReactor(std::shared_ptr<const RedactionSet> set);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  StreamRedactor redactor_;
  v1::RedactRequest request_;
  v1::RedactResponse response_;
  bool finishing_ = false;  // the last answer is being written
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_REDACT_STREAM_REACTOR_H_

#include "agent/service/redact_stream_reactor.h"

#include <utility>

namespace mcpcred {

RedactStreamReactor::RedactStreamReactor(
    std::shared_ptr<const RedactionSet> set)
    : redactor_(std::move(set)) {
  StartRead(&request_);
}

void RedactStreamReactor::OnReadDone(bool ok) {
  response_.Clear();
  if (!ok) {
    // The client has sent everything: what was held back goes out last.
    redactor_.Finish(response_.mutable_text());
    response_.set_replacements(static_cast<uint32_t>(redactor_.replacements()));
    finishing_ = true;
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    return;
  }
  if (request_.text().size() > kMaxChunk) {
    Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "a RedactStream request holds at most 1 MiB"));
    return;
  }
  redactor_.Write(request_.text(), response_.mutable_text());
  response_.set_replacements(static_cast<uint32_t>(redactor_.replacements()));
  StartWrite(&response_);
}

void RedactStreamReactor::OnWriteDone(bool ok) {
  if (finishing_) return;
  if (!ok) {
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client left"));
    return;
  }
  StartRead(&request_);
}

}  // namespace mcpcred

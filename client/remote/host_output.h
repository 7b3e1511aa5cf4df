// The bridge's channel to the host: newline-delimited JSON-RPC on a file
// descriptor (the original stdout; fd 1 itself is pointed at stderr, so that
// nothing else can ever write to the host). Every line is masked first.
//
// Thread-safe: lines from concurrent streams never interleave.
#ifndef MCPCRED_CLIENT_REMOTE_HOST_OUTPUT_H_
#define MCPCRED_CLIENT_REMOTE_HOST_OUTPUT_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "masker.h"
#include "nlohmann/json.hpp"

namespace mcpcred::remote {

class HostOutput {
 public:
  HostOutput(int fd, Masker* masker) : fd_(fd), masker_(masker) {}

  // Masks `message` and writes it as one line. False once the host has gone
  // (a write failed).
  bool Send(std::string_view message);
  // Sends a JSON-RPC error response for request `id`.
  bool SendError(const nlohmann::json& id, int code,
                 const std::string& message);
  // `text` masked as a line for the host would be, for stderr (text that
  // holds anything the server said).
  std::string Masked(std::string_view text) { return masker_->Mask(text); }

 private:
  const int fd_;
  Masker* const masker_;
  absl::Mutex mu_;
  bool gone_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_HOST_OUTPUT_H_

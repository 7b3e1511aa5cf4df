// Reports what the Masker masked: a line on stderr and ReportRedactions to
// the agent's audit log, at most every `period` and once more at the end.
// Counts only, never a value.
//
// Thread-safe.
#ifndef MCPCRED_CLIENT_REMOTE_REDACTION_REPORTER_H_
#define MCPCRED_CLIENT_REMOTE_REDACTION_REPORTER_H_

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "masker.h"
#include "mcpcred/client.h"

namespace mcpcred::remote {

class RedactionReporter {
 public:
  // `client` may be null (counts go to stderr only).
  RedactionReporter(Client* client, Masker* masker, std::string source,
                    absl::Duration period = absl::Seconds(5));
  // Stop()s.
  ~RedactionReporter();

  // Reports what is left and stops the thread.
  void Stop();

 private:
  void Run();
  void Report();

  Client* const client_;
  Masker* const masker_;
  const std::string source_;
  const absl::Duration period_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// "masked 3 secret values in the server's output (linear: 2, github: 1)".
std::string DescribeCounts(const RedactionCounts& counts);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_REDACTION_REPORTER_H_

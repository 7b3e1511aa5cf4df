// What the gRPC service asks of the daemon that owns it: reloading the config
// and describing itself. Keeps the service free of process-level concerns.
#ifndef MCPCRED_AGENT_SERVICE_AGENT_CONTROL_H_
#define MCPCRED_AGENT_SERVICE_AGENT_CONTROL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

struct ReloadOutcome {
  size_t credentials = 0;
  std::vector<std::string> errors;  // credentials that failed to load
};

// Thread-safe.
class AgentControl {
 public:
  virtual ~AgentControl() = default;
  // Re-reads the config. On error the old config keeps serving and the error
  // says what is wrong with the new one.
  virtual absl::StatusOr<ReloadOutcome> Reload() = 0;
  // Fills the daemon-level fields of the status (the service adds counts).
  virtual void DescribeSelf(v1::AgentStatus* status) = 0;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_AGENT_CONTROL_H_

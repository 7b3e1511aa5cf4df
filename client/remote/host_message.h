// One JSON-RPC message from the host (a line of stdin) and what the bridge
// needs to know about it to relay it: its kind, id and method.
#ifndef MCPCRED_CLIENT_REMOTE_HOST_MESSAGE_H_
#define MCPCRED_CLIENT_REMOTE_HOST_MESSAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace mcpcred::remote {

struct HostMessage {
  std::string text;    // as the host wrote it (sent on unchanged)
  nlohmann::json id;   // null when there is none
  std::string method;  // "" for a response
  bool has_id = false;

  bool is_request() const { return has_id && !method.empty(); }
  bool is_initialize() const { return is_request() && method == "initialize"; }
};

// INVALID_ARGUMENT for a line that is not a JSON-RPC message object (a
// batch, an array, or no method and no id). The message never quotes `line`.
absl::StatusOr<HostMessage> ParseHostMessage(std::string line);

// Whether server message `message` (parsed) is the response to request `id`.
bool IsResponseTo(const nlohmann::json& message, const nlohmann::json& id);

// A JSON-RPC error response, one line.
std::string ErrorResponse(const nlohmann::json& id, int code,
                          const std::string& message);

// JSON-RPC error codes of the bridge (implementation-defined server errors).
inline constexpr int kErrorUpstream = -32000;       // the server failed
inline constexpr int kErrorLoginRequired = -32001;  // run 'mcpcred login'
inline constexpr int kErrorParse = -32700;

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_HOST_MESSAGE_H_

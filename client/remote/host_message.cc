#include "host_message.h"

#include "absl/status/status.h"

namespace mcpcred::remote {

absl::StatusOr<HostMessage> ParseHostMessage(std::string line) {
  nlohmann::json json =
      nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError(
        "the host sent a line that is not a JSON-RPC message object");
  }
  HostMessage message;
  if (auto it = json.find("method"); it != json.end() && it->is_string()) {
    message.method = it->get<std::string>();
  }
  if (auto it = json.find("id"); it != json.end() && !it->is_null()) {
    message.id = *it;
    message.has_id = true;
  }
  if (message.method.empty() && !message.has_id) {
    return absl::InvalidArgumentError(
        "the host sent a JSON-RPC message with neither method nor id");
  }
  message.text = std::move(line);
  return message;
}

bool IsResponseTo(const nlohmann::json& message, const nlohmann::json& id) {
  if (!message.is_object() || message.contains("method")) return false;
  auto it = message.find("id");
  return it != message.end() && *it == id &&
         (message.contains("result") || message.contains("error"));
}

std::string ErrorResponse(const nlohmann::json& id, int code,
                          const std::string& message) {
  nlohmann::json response = {{"jsonrpc", "2.0"},
                             {"id", id},
                             {"error", {{"code", code}, {"message", message}}}};
  return response.dump(-1, ' ', false,
                       nlohmann::json::error_handler_t::replace);
}

}  // namespace mcpcred::remote

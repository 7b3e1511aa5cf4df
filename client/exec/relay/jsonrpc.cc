#include "relay/jsonrpc.h"

namespace mcpcred::exec::relay {

Message ParseMessage(std::string_view line) {
  Message message;
  message.json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!message.json.is_object()) {
    message.json = Json();
    return message;
  }
  const Json& json = message.json;
  auto method = json.find("method");
  auto id = json.find("id");
  const bool has_method = method != json.end() && method->is_string();
  const bool has_id = id != json.end();
  if (has_method) {
    message.method = method->get<std::string>();
    message.kind = has_id ? MessageKind::kRequest : MessageKind::kNotification;
  } else if (has_id && (json.contains("result") || json.contains("error"))) {
    message.kind = MessageKind::kResponse;
  }
  if (has_id) message.id_key = IdKey(*id);
  return message;
}

std::string IdKey(const Json& id) { return Serialize(id); }

std::string Serialize(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ErrorResponse(const Json& id, int code, std::string_view message) {
  Json response = {{"jsonrpc", "2.0"}, {"id", id}};
  response["error"] = {{"code", code}, {"message", message}};
  return Serialize(response);
}

}  // namespace mcpcred::exec::relay

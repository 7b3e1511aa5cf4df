// JSON-RPC 2.0 messages as MCP's stdio transport carries them: one JSON
// object per line. Classifies a line (request, notification, response) and
// builds the few messages the relay writes itself.
//
// Thread-safe: pure functions.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_JSONRPC_H_
#define MCPCRED_CLIENT_EXEC_RELAY_JSONRPC_H_

#include <string>
#include <string_view>

#include "nlohmann/json.hpp"

namespace mcpcred::exec::relay {

// Keys keep their order: a message that is written again looks as it came.
using Json = nlohmann::ordered_json;

enum class MessageKind {
  kInvalid,       // not JSON, not an object, or neither of the below
  kRequest,       // "method" and "id"
  kNotification,  // "method", no "id"
  kResponse,      // "id" with "result" or "error", no "method"
};

struct Message {
  MessageKind kind = MessageKind::kInvalid;
  Json json;           // the parsed object (discarded for kInvalid)
  std::string id_key;  // IdKey of "id" (requests and responses)
  std::string method;  // requests and notifications
};

// Parses one line. Never throws.
Message ParseMessage(std::string_view line);

// A canonical text of a JSON-RPC id (a number, a string or null) for maps:
// 7 and "7" differ.
std::string IdKey(const Json& id);

// The text of `json` on one line (invalid UTF-8 replaced, never thrown on).
std::string Serialize(const Json& json);

// {"jsonrpc":"2.0","id":ID,"error":{"code":CODE,"message":MESSAGE}}.
std::string ErrorResponse(const Json& id, int code, std::string_view message);

// JSON-RPC's error codes that the relay uses.
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kInternalError = -32603;

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_JSONRPC_H_

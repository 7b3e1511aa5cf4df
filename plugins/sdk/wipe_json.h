// A JSON document that held secrets (a token response, a stored client
// registration) keeps them in ordinary strings: WipeJson zeroes every string
// in it, keys' values and array items alike, and JsonWiper does so on every
// way out of the scope that parsed it.
#ifndef MCPCRED_PLUGINS_SDK_WIPE_JSON_H_
#define MCPCRED_PLUGINS_SDK_WIPE_JSON_H_

#include <string_view>

#include "nlohmann/json.hpp"

namespace mcpcred::plugin {

// Zeroes the whole buffer of every string value in *document and leaves each
// empty (the document keeps its shape).
void WipeJson(nlohmann::json* document) noexcept;

// nlohmann::json::parse(text, nullptr, false) for text that may hold
// secrets: a discarded document when `text` is not JSON. nlohmann drops what
// it built of a malformed document without wiping it (a truncated token
// response keeps its refresh token), so the text is checked first and only
// valid JSON is built.
nlohmann::json ParseJson(std::string_view text);

// Wipes a document (WipeJson) when it goes out of scope, early returns and
// exceptions included. Declare it right after the document it guards, so it
// is destroyed first:
//   nlohmann::json body = plugin::ParseJson(text);
//   plugin::JsonWiper wipe_body(&body);
// What the parser copied on the way (nlohmann's token buffer) is out of its
// reach; keep what is taken out of the document in a SecretString. Neither
// copyable nor movable.
class JsonWiper {
 public:
  explicit JsonWiper(nlohmann::json* document) : document_(document) {}
  JsonWiper(const JsonWiper&) = delete;
  JsonWiper& operator=(const JsonWiper&) = delete;
  ~JsonWiper() { WipeJson(document_); }

 private:
  nlohmann::json* document_;
};

}  // namespace mcpcred::plugin

#endif  // MCPCRED_PLUGINS_SDK_WIPE_JSON_H_

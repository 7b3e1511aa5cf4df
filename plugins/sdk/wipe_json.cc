#include "plugins/sdk/wipe_json.h"

#include <string>

#include "mcpcred/common/secret_string.h"

namespace mcpcred::plugin {

void WipeJson(nlohmann::json* document) noexcept {
  if (document->is_string()) {
    WipeString(document->get_ptr<std::string*>());
  } else if (document->is_structured()) {
    for (nlohmann::json& item : *document) WipeJson(&item);
  }
}

nlohmann::json ParseJson(std::string_view text) {
  if (!nlohmann::json::accept(text)) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace mcpcred::plugin

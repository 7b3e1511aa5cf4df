#include "plugins/sdk/wipe_json.h"

#include <string>

#include "mcpcred/common/secret_string.h"

namespace mcpcred::plugin {

void WipeJson(nlohmann::json* document) {
  if (document->is_string()) {
    WipeString(document->get_ptr<std::string*>());
  } else if (document->is_structured()) {
    for (nlohmann::json& item : *document) WipeJson(&item);
  }
}

}  // namespace mcpcred::plugin

// A JSON document that held secrets (a token response, a stored client
// registration) keeps them in ordinary strings: WipeJson zeroes every string
// in it, keys' values and array items alike, before it goes.
#ifndef MCPCRED_PLUGINS_SDK_WIPE_JSON_H_
#define MCPCRED_PLUGINS_SDK_WIPE_JSON_H_

#include "nlohmann/json.hpp"

namespace mcpcred::plugin {

void WipeJson(nlohmann::json* document);

}  // namespace mcpcred::plugin

#endif  // MCPCRED_PLUGINS_SDK_WIPE_JSON_H_

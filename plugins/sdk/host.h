// The in-tree plugins' name for the SDK: see mcpcred/provider_sdk.h.
#ifndef MCPCRED_PLUGINS_SDK_HOST_H_
#define MCPCRED_PLUGINS_SDK_HOST_H_

#include "mcpcred/provider_sdk.h"

#endif  // MCPCRED_PLUGINS_SDK_HOST_H_

// The in-tree plugins' name for the SDK (mcpcred/provider_sdk.h), with
// overloads that keep what the host hands over in a wiping SecretString
// (mcpcred_common, which a third-party plugin does not link).
#ifndef MCPCRED_PLUGINS_SDK_HOST_H_
#define MCPCRED_PLUGINS_SDK_HOST_H_

#include <cstdint>
#include <string>

#include "mcpcred/common/secret_string.h"
#include "mcpcred/provider_sdk.h"

namespace mcpcred::plugin {

// Resolves a secret reference through the host into *value (wiping the host
// buffer). Returns the host's code.
int32_t ResolveSecret(mcpcred_host_ctx* ctx, const std::string& reference,
                      SecretString* value, mcpcred_error* error);

// Reads the host store entry (kind, scope) into *value (wiping the host
// buffer). Returns the host's code: MCPCRED_ERR_NOT_FOUND when absent.
int32_t StoreGet(mcpcred_host_ctx* ctx, const char* kind,
                 const std::string& scope, SecretString* value,
                 mcpcred_error* error);

}  // namespace mcpcred::plugin

#endif  // MCPCRED_PLUGINS_SDK_HOST_H_

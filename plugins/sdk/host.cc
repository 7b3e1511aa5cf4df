#include "plugins/sdk/host.h"

namespace mcpcred::plugin {

int32_t ResolveSecret(mcpcred_host_ctx* ctx, const std::string& reference,
                      SecretString* value, mcpcred_error* error) {
  char* buffer = nullptr;
  size_t len = 0;
  int32_t rc =
      host().resolve_secret(ctx, reference.c_str(), &buffer, &len, error);
  if (rc != MCPCRED_OK) return rc;
  value->assign(buffer, len);
  host().free(ctx, buffer, len);  // the host wipes what it frees
  return MCPCRED_OK;
}

int32_t StoreGet(mcpcred_host_ctx* ctx, const char* kind,
                 const std::string& scope, SecretString* value,
                 mcpcred_error* error) {
  char* buffer = nullptr;
  size_t len = 0;
  int32_t rc = host().store_get(ctx, kind, scope.c_str(), &buffer, &len, error);
  if (rc != MCPCRED_OK) return rc;
  value->assign(buffer, len);
  host().free(ctx, buffer, len);
  return MCPCRED_OK;
}

}  // namespace mcpcred::plugin

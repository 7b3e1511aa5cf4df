// Uses the installed headers and library: asks the agent on $MCPCRED_SOCK (or
// none) for a credential through a CredentialCache and prints what happened,
// never the value.
#include <iostream>

#include "mcpcred/credential_cache.h"

int main(int argc, char** argv) {
  mcpcred::CredentialCacheOptions options;
  auto cache = mcpcred::CredentialCache::Create(options);
  if (!cache.ok()) {
    std::cout << "create: " << cache.status().code() << "\n";
    return 0;
  }
  auto credential = (*cache)->Get(argc > 1 ? argv[1] : "demo");
  if (credential.ok()) {
    std::cout << "ok: " << (*credential)->env_size() << " env\n";
  } else {
    std::cout << "error: "
              << (mcpcred::IsAgentUnreachable(credential.status())
                      ? "no agent"
                      : credential.status().ToString())
              << "\n";
  }
  return 0;
}

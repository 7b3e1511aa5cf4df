// The scopes an authorization request asks for, as the MCP authorization
// spec's scope selection strategy (2025-11-25) orders them: the `scope` of
// the server's WWW-Authenticate challenge first, else the protected resource
// metadata's `scopes_supported`, else none. Scopes the credential configures
// and scopes a step-up asks for are added to that; `offline_access` is added
// when a refresh token is wanted and the authorization server lists it
// (SEP-2207), never otherwise. Pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_SCOPE_SELECTION_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_SCOPE_SELECTION_H_

#include <string>
#include <string_view>
#include <vector>

namespace mcpcred::oauth2 {

struct ScopeInputs {
  std::string challenge_scope;                  // space-separated, or ""
  std::vector<std::string> resource_supported;  // PRM scopes_supported
  std::vector<std::string> configured;          // the credential's `scopes`
  std::vector<std::string> server_supported;    // AS scopes_supported
  bool want_refresh_token = false;
};

// The space-separated scopes, each once, in the order above; "" for none.
std::string SelectScopes(const ScopeInputs& inputs);

// `scope` (space-separated) with `more` added, each scope once, order kept.
std::string UnionScopes(std::string_view scope,
                        const std::vector<std::string>& more);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_SCOPE_SELECTION_H_

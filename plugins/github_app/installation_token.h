// The GitHub REST call that mints an installation access token:
// POST {api_url}/app/installations/{id}/access_tokens. Pure functions, so the
// request and the parsing of every answer are tested without a network.
#ifndef MCPCRED_PLUGINS_GITHUB_APP_INSTALLATION_TOKEN_H_
#define MCPCRED_PLUGINS_GITHUB_APP_INSTALLATION_TOKEN_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mcpcred/common/secret_string.h"

namespace mcpcred::github_app {

// "https://api.github.com" + "/app/installations/678/access_tokens"; a
// trailing slash on `api_url` is dropped.
std::string AccessTokensUrl(const std::string& api_url,
                            int64_t installation_id);

// The JSON body: optional "permissions" and "repositories" down-scoping.
std::string AccessTokensBody(
    const std::map<std::string, std::string>& permissions,
    const std::vector<std::string>& repositories);

struct MintedToken {
  SecretString token;
  int64_t expires_at_ms = 0;
};

// Outcome of parsing GitHub's answer: `code` is an mcpcred_code; on failure
// `message` is one line with GitHub's own "message" when it sent one, never
// the token.
struct MintResult {
  int32_t code = 0;
  std::string message;
  MintedToken token;
};

MintResult ParseAccessTokensResponse(int http_status, const std::string& body);

}  // namespace mcpcred::github_app

#endif  // MCPCRED_PLUGINS_GITHUB_APP_INSTALLATION_TOKEN_H_

#include "plugins/github_app/installation_token.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/sdk/wipe_json.h"

namespace mcpcred::github_app {
namespace {

// GitHub's error bodies carry {"message": "...", "documentation_url": ...}.
std::string GitHubMessage(const nlohmann::json& body) {
  if (body.is_object() && body.contains("message") &&
      body["message"].is_string()) {
    std::string message = body["message"].get<std::string>();
    // One line a terminal shows as it is: no control characters, and the
    // cut never splits a UTF-8 character (proto3 strings must stay valid).
    for (char& c : message) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) c = ' ';
    }
    size_t cut = std::min<size_t>(message.size(), 300);
    while (cut > 0 && cut < message.size() &&
           (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    return message.substr(0, cut);
  }
  return "no message";
}

int32_t CodeForStatus(int status) {
  if (status == 401 || status == 403) return MCPCRED_ERR_PERMISSION;
  if (status == 404 || status == 422) return MCPCRED_ERR_INVALID_CONFIG;
  return MCPCRED_ERR_UNAVAILABLE;  // 429, 5xx and anything unexpected
}

}  // namespace

std::string AccessTokensUrl(const std::string& api_url,
                            int64_t installation_id) {
  absl::string_view base = api_url;
  absl::ConsumeSuffix(&base, "/");
  return absl::StrCat(base, "/app/installations/", installation_id,
                      "/access_tokens");
}

std::string AccessTokensBody(
    const std::map<std::string, std::string>& permissions,
    const std::vector<std::string>& repositories) {
  nlohmann::json body = nlohmann::json::object();
  if (!permissions.empty()) body["permissions"] = permissions;
  if (!repositories.empty()) body["repositories"] = repositories;
  return body.dump();
}

MintResult ParseAccessTokensResponse(int http_status, const std::string& body) {
  MintResult result;
  nlohmann::json json = plugin::ParseJson(body);
  plugin::JsonWiper wipe_json(&json);  // it holds the token
  if (http_status != 201 && http_status != 200) {
    result.code = CodeForStatus(http_status);
    result.message = absl::StrCat("GitHub answered ", http_status, ": ",
                                  GitHubMessage(json));
    return result;
  }
  if (!json.is_object() || !json.contains("token") ||
      !json["token"].is_string() ||
      json["token"].get_ref<const std::string&>().empty()) {
    result.code = MCPCRED_ERR_UNAVAILABLE;
    result.message = "GitHub's answer has no \"token\"";
    return result;
  }
  absl::Time expires;
  std::string error;
  if (!json.contains("expires_at") || !json["expires_at"].is_string() ||
      !absl::ParseTime(absl::RFC3339_full,
                       json["expires_at"].get<std::string>(), &expires,
                       &error)) {
    result.code = MCPCRED_ERR_UNAVAILABLE;
    result.message = "GitHub's answer has no valid \"expires_at\"";
    return result;
  }
  // absl::ParseTime accepts "infinite-future": a token must really expire.
  if (expires == absl::InfiniteFuture() || expires == absl::InfinitePast()) {
    result.code = MCPCRED_ERR_UNAVAILABLE;
    result.message = "GitHub's answer has no valid \"expires_at\"";
    return result;
  }
  result.code = MCPCRED_OK;
  result.token.token.assign(json["token"].get_ref<const std::string&>());
  result.token.expires_at_ms = absl::ToUnixMillis(expires);
  return result;
}

}  // namespace mcpcred::github_app

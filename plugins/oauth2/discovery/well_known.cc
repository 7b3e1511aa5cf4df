#include "plugins/oauth2/discovery/well_known.h"

#include "absl/strings/str_cat.h"

namespace mcpcred::oauth2 {
namespace {

constexpr char kProtectedResource[] = "/.well-known/oauth-protected-resource";
constexpr char kAuthorizationServer[] =
    "/.well-known/oauth-authorization-server";
constexpr char kOpenIdConfiguration[] = "/.well-known/openid-configuration";

}  // namespace

std::vector<std::string> ProtectedResourceMetadataUrls(const Url& resource) {
  const std::string origin = Origin(resource);
  std::string suffix = resource.path == "/" ? "" : resource.path;
  if (!resource.query.empty()) absl::StrAppend(&suffix, "?", resource.query);
  std::vector<std::string> urls;
  if (!suffix.empty()) {
    urls.push_back(absl::StrCat(origin, kProtectedResource, suffix));
  }
  urls.push_back(absl::StrCat(origin, kProtectedResource));
  return urls;
}

std::vector<std::string> AuthServerMetadataUrls(const Url& issuer) {
  const std::string origin = Origin(issuer);
  std::string path = issuer.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.empty()) {
    return {absl::StrCat(origin, kAuthorizationServer),
            absl::StrCat(origin, kOpenIdConfiguration)};
  }
  return {absl::StrCat(origin, kAuthorizationServer, path),
          absl::StrCat(origin, kOpenIdConfiguration, path),
          absl::StrCat(origin, path, kOpenIdConfiguration)};
}

}  // namespace mcpcred::oauth2

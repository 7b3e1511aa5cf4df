#include "plugins/oauth2/discoverer.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/scope_selection.h"
#include "plugins/oauth2/discovery/url.h"
#include "plugins/oauth2/discovery/well_known.h"
#include "plugins/oauth2/discovery/www_authenticate.h"

namespace mcpcred::oauth2 {
namespace {

// Tries each URL in order; a 404 or a non-JSON answer moves on, anything
// else decides.
template <typename Parse>
auto FirstDocument(const HttpContext& ctx, const std::vector<std::string>& urls,
                   const std::string& what, Parse parse)
    -> decltype(parse(std::string(), std::string())) {
  absl::Status last = absl::NotFoundError(absl::StrCat("no ", what, " found"));
  for (const std::string& url : urls) {
    absl::StatusOr<plugin::HttpResult> got = HttpGet(ctx, url);
    if (!got.ok()) return got.status();
    if (got->status >= 500) {
      return absl::UnavailableError(
          absl::StrCat(url, " answered ", got->status));
    }
    if (got->status != 200) {
      last = absl::NotFoundError(absl::StrCat("no ", what, " found (", url,
                                              " answered ", got->status, ")"));
      continue;
    }
    auto parsed = parse(got->body, url);
    if (parsed.ok() || !absl::IsUnavailable(parsed.status())) return parsed;
    last = parsed.status();
  }
  return last;
}

// The 2025-03-26 fallback for a server without protected resource metadata:
// the authorization server's metadata at the MCP server's origin (its issuer
// taken as it is), else the default endpoints there.
absl::StatusOr<AuthServerMetadata> LegacyServerMetadata(const HttpContext& ctx,
                                                        const Url& resource) {
  const std::string origin = Origin(resource);
  // The origin has no path, so these are the root well-known URLs.
  std::optional<Url> root = ParseUrl(origin);
  if (!root.has_value()) return absl::InvalidArgumentError("bad origin");
  absl::StatusOr<AuthServerMetadata> found = FirstDocument(
      ctx, AuthServerMetadataUrls(*root), "authorization server metadata",
      [&](const std::string& body, const std::string& source) {
        MetadataOptions options;
        options.source_url = source;
        options.any_issuer = true;
        return ParseAuthServerMetadata(body, origin, options);
      });
  if (!absl::IsNotFound(found.status())) return found;
  AuthServerMetadata server;
  server.issuer = origin;
  server.authorization_endpoint = origin + "/authorize";
  server.token_endpoint = origin + "/token";
  server.registration_endpoint = origin + "/register";
  server.code_challenge_methods_supported = {"S256"};
  server.grant_types_supported = {"authorization_code", "refresh_token"};
  return server;
}

absl::StatusOr<AuthServerMetadata> FetchServerMetadata(
    const HttpContext& ctx, const std::string& issuer) {
  std::optional<Url> url = ParseUrl(issuer);
  if (!url.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("authorization server \"", issuer, "\" is not a URL"));
  }
  absl::Status usable = CheckEndpointUrl(*url, /*allow_http_loopback=*/true);
  if (!usable.ok()) return usable;
  return FirstDocument(ctx, AuthServerMetadataUrls(*url),
                       "authorization server metadata",
                       [&](const std::string& body, const std::string& source) {
                         MetadataOptions options;
                         options.source_url = source;
                         return ParseAuthServerMetadata(body, issuer, options);
                       });
}

// The unauthenticated probe, a real MCP request (servers answer GET with
// 404 or 405): the 401's Bearer challenge, if any.
absl::StatusOr<BearerChallenge> Probe(const HttpContext& ctx,
                                      const std::string& resource) {
  const nlohmann::json initialize = {
      {"jsonrpc", "2.0"},
      {"id", 1},
      {"method", "initialize"},
      {"params",
       {{"protocolVersion", "2025-11-25"},
        {"capabilities", nlohmann::json::object()},
        {"clientInfo", {{"name", "mcpcred"}, {"version", "1"}}}}}};
  absl::StatusOr<plugin::HttpResult> got =
      HttpPostJson(ctx, resource, initialize.dump(),
                   {{"Accept", "application/json, text/event-stream"},
                    {"MCP-Protocol-Version", "2025-11-25"}});
  if (!got.ok()) return got.status();
  if (got->status >= 500) {
    return absl::UnavailableError(
        absl::StrCat(resource, " answered ", got->status));
  }
  std::optional<BearerChallenge> bearer =
      FindBearer(got->Header("www-authenticate"));
  return bearer.value_or(BearerChallenge{});
}

absl::StatusOr<Endpoints> DiscoverFromResource(const HttpContext& ctx,
                                               const OAuth2Config& config) {
  std::optional<Url> resource_url = ParseUrl(config.resource);
  if (!resource_url.has_value()) {
    return absl::InvalidArgumentError("resource is not an http(s) URL");
  }
  const std::string canonical = CanonicalResource(*resource_url);
  absl::StatusOr<BearerChallenge> challenge = Probe(ctx, config.resource);
  if (!challenge.ok()) return challenge.status();

  std::vector<std::string> prm_urls;
  if (!challenge->resource_metadata.empty()) {
    prm_urls.push_back(challenge->resource_metadata);
  } else {
    prm_urls = ProtectedResourceMetadataUrls(*resource_url);
  }
  absl::StatusOr<ResourceMetadata> prm =
      FirstDocument(ctx, prm_urls, "protected resource metadata",
                    [&](const std::string& body, const std::string& source) {
                      MetadataOptions options;
                      options.source_url = source;
                      return ParseResourceMetadata(body, canonical, options);
                    });
  const bool legacy =
      absl::IsNotFound(prm.status()) && challenge->resource_metadata.empty();
  if (!prm.ok() && !legacy) return prm.status();

  absl::StatusOr<AuthServerMetadata> server =
      legacy ? LegacyServerMetadata(ctx, *resource_url)
             : FetchServerMetadata(ctx, prm->authorization_servers.front());
  if (!server.ok()) return server.status();
  Endpoints endpoints;
  endpoints.server = *std::move(server);
  endpoints.resource = config.send_resource ? canonical : "";
  ScopeInputs scopes;
  scopes.challenge_scope = challenge->scope;
  if (!legacy) scopes.resource_supported = prm->scopes_supported;
  scopes.configured = config.scopes;
  scopes.server_supported = endpoints.server.scopes_supported;
  scopes.want_refresh_token = config.grant == Grant::kAuthorizationCode ||
                              config.grant == Grant::kDeviceCode;
  endpoints.scope = SelectScopes(scopes);
  return endpoints;
}

absl::StatusOr<Endpoints> ExplicitEndpoints(const HttpContext& ctx,
                                            const OAuth2Config& config) {
  Endpoints endpoints;
  if (!config.issuer.empty() && config.token_endpoint.empty()) {
    absl::StatusOr<AuthServerMetadata> server =
        FetchServerMetadata(ctx, config.issuer);
    if (!server.ok()) return server.status();
    endpoints.server = *std::move(server);
  } else {
    AuthServerMetadata& s = endpoints.server;
    s.issuer = config.issuer.empty() ? config.token_endpoint : config.issuer;
    s.token_endpoint = config.token_endpoint;
    if (!config.authorization_endpoint.empty()) {
      s.authorization_endpoint = config.authorization_endpoint;
    }
    if (!config.device_authorization_endpoint.empty()) {
      s.device_authorization_endpoint = config.device_authorization_endpoint;
    }
    if (!config.revocation_endpoint.empty()) {
      s.revocation_endpoint = config.revocation_endpoint;
    }
    // Explicitly configured: the user vouches for PKCE support.
    s.code_challenge_methods_supported = {"S256"};
  }
  std::optional<Url> resource = ParseUrl(config.resource);
  endpoints.resource = config.send_resource && resource.has_value()
                           ? CanonicalResource(*resource)
                           : "";
  endpoints.scope = absl::StrJoin(config.scopes, " ");
  return endpoints;
}

}  // namespace

absl::StatusOr<Endpoints> Discover(const HttpContext& ctx,
                                   const OAuth2Config& config) {
  absl::StatusOr<Endpoints> endpoints =
      config.issuer.empty() && config.token_endpoint.empty()
          ? DiscoverFromResource(ctx, config)
          : ExplicitEndpoints(ctx, config);
  if (!endpoints.ok()) return endpoints;
  if (config.grant != Grant::kClientCredentials) {
    absl::Status s256 = RequireS256(endpoints->server);
    if (!s256.ok()) return s256;
  }
  return endpoints;
}

}  // namespace mcpcred::oauth2

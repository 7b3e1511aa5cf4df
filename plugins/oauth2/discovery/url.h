// A small parser for the http(s) URLs OAuth discovery deals in: MCP server
// (resource) URLs, issuers, endpoints and metadata URLs. It is deliberately
// narrow: only "http" and "https", no userinfo, no percent-encoded or
// internationalised hosts. It never resolves names or touches the network.
//
// All functions are pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_URL_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_URL_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace mcpcred::oauth2 {

struct Url {
  std::string scheme;    // "http" or "https", lower-cased
  std::string host;      // lower-cased; an IPv6 literal keeps its brackets
  int port = 0;          // 0 when absent or the scheme's default (80/443)
  std::string path;      // exactly as written; "/" when the URL has none
  std::string query;     // without the '?'; empty when absent or empty
  std::string fragment;  // without the '#'; empty when absent or empty
};

// Parses an absolute http(s) URL. Scheme and host are lower-cased, a default
// port is dropped, the path, query and fragment are kept byte for byte.
// Returns nullopt for any other scheme, an empty or malformed host, a port
// outside 1-65535, userinfo ("user@host"), or whitespace and control
// characters anywhere in the input.
std::optional<Url> ParseUrl(std::string_view text);

// The port a connection uses: `url.port`, or 80/443 from the scheme.
int EffectivePort(const Url& url);

// "scheme://host[:port]" (RFC 6454 serialisation; a default port omitted).
std::string Origin(const Url& url);

// The URL to send a request to: origin, path and "?query"; no fragment.
std::string RequestUrl(const Url& url);

// The canonical URI of a resource, used as the RFC 8707 `resource` parameter
// and to compare a protected resource metadata document's `resource` with
// the configured one (RFC 9728 section 3.3), as the MCP authorization spec's
// "Canonical Server URI" rules have it: lower-case scheme and host, no
// default port, no fragment, the query kept, the path kept exactly except
// that a bare "/" is dropped ("https://mcp.example.com/" becomes
// "https://mcp.example.com"; "https://mcp.example.com/mcp/" is unchanged).
std::string CanonicalResource(const Url& url);

// Convenience: ParseUrl then CanonicalResource; nullopt if it does not parse.
std::optional<std::string> CanonicalResource(std::string_view text);

// True when the protected resource `resource` covers the MCP server at
// `server` (both canonicalised): the same URL, or the same origin with a path
// that is a whole-segment prefix of the server's ("https://h" and
// "https://h/api" cover "https://h/api/mcp"; "https://h/ap" does not). A
// query on `resource` must equal the server's. RFC 9728 root metadata names
// the origin, so a resource one level up is the server's, not another's.
bool ResourceCovers(std::string_view resource, std::string_view server);

// True for "localhost", IPv4 literals in 127.0.0.0/8 (dotted quad only),
// and the IPv6 loopback "::1" in any spelling, with or without brackets
// (also IPv4-mapped ::ffff:127.x.y.z). Case-insensitive; no resolution.
bool IsLoopbackHost(std::string_view host);

// OK when `url` may be used as an OAuth endpoint or issuer: https, or http on
// a loopback host when `allow_http_loopback`; never with a fragment
// (RFC 6749 section 3.1). Otherwise INVALID_ARGUMENT naming the URL, e.g.
// `"http://as.example.com/token" must use https`.
absl::Status CheckEndpointUrl(const Url& url, bool allow_http_loopback);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_URL_H_

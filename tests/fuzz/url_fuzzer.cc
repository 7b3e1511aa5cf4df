// Fuzzes ParseUrl, CanonicalResource, IsLoopbackHost, CheckEndpointUrl
// (plugins/oauth2/discovery/url.h) and the well-known URL builders
// (well_known.h): the whole input is a URL from a config or a discovery
// document.
//
// Invariants, for a URL that parses:
//  - the parts are what url.h promises: scheme http(s), a non-empty
//    lower-case host, a port that is 0 or 1-65535 and not the default, a
//    path starting with "/" without "?" or "#", a query without "#";
//  - the input has no whitespace or control character;
//  - a parsed URL re-parses: ParseUrl(RequestUrl + "#fragment") gives the
//    same parts;
//  - CanonicalResource is idempotent and its result parses, has no fragment
//    and equals what CanonicalResource(string) gives;
//  - Origin parses to the same scheme, host and port with path "/";
//  - every well-known metadata URL parses, keeps the origin and the query
//    where well_known.h says;
//  - CheckEndpointUrl accepts exactly https, or http on a loopback host
//    when allowed, and never a fragment; its message is one line.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "plugins/oauth2/discovery/url.h"
#include "plugins/oauth2/discovery/well_known.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Escape;
using mcpcred::oauth2::Url;

std::string Show(const Url& url) {
  return "{scheme=" + Escape(url.scheme) + " host=" + Escape(url.host) +
         " port=" + std::to_string(url.port) + " path=" + Escape(url.path) +
         " query=" + Escape(url.query) + " fragment=" + Escape(url.fragment) +
         "}";
}

bool SameUrl(const Url& a, const Url& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port &&
         a.path == b.path && a.query == b.query && a.fragment == b.fragment;
}

bool HasUpper(std::string_view text) {
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

void CheckParts(const Url& url, std::string_view input) {
  const std::string where = Show(url) + " from " + Escape(input);
  FUZZ_CHECK("url-scheme", url.scheme == "http" || url.scheme == "https",
             where);
  FUZZ_CHECK("url-host", !url.host.empty() && !HasUpper(url.host), where);
  const int default_port = url.scheme == "https" ? 443 : 80;
  FUZZ_CHECK("url-port",
             url.port == 0 || (url.port >= 1 && url.port <= 65535 &&
                               url.port != default_port),
             where);
  FUZZ_CHECK("url-path",
             !url.path.empty() && url.path[0] == '/' &&
                 url.path.find_first_of("?#") == std::string::npos,
             where);
  FUZZ_CHECK("url-query", url.query.find('#') == std::string::npos, where);
  FUZZ_CHECK("url-no-control",
             !mcpcred::fuzz::HasControl(input) &&
                 input.find(' ') == std::string_view::npos,
             where);
  const int effective = mcpcred::oauth2::EffectivePort(url);
  FUZZ_CHECK("url-effective-port", effective >= 1 && effective <= 65535, where);
}

void CheckReparse(const Url& url, std::string_view input) {
  std::string text = mcpcred::oauth2::RequestUrl(url);
  if (!url.fragment.empty()) text += "#" + url.fragment;
  std::optional<Url> again = mcpcred::oauth2::ParseUrl(text);
  FUZZ_CHECK("url-reparse", again.has_value() && SameUrl(url, *again),
             Escape(input) + " parses to " + Show(url) + ", written back as " +
                 Escape(text) + " it parses to " +
                 (again.has_value() ? Show(*again) : std::string("nothing")));

  const std::string canonical = mcpcred::oauth2::CanonicalResource(url);
  std::optional<Url> parsed_canonical = mcpcred::oauth2::ParseUrl(canonical);
  FUZZ_CHECK("url-canonical-parses", parsed_canonical.has_value(),
             "CanonicalResource(" + Escape(input) + ") = " + Escape(canonical) +
                 " does not parse");
  if (parsed_canonical.has_value()) {
    const std::string twice =
        mcpcred::oauth2::CanonicalResource(*parsed_canonical);
    FUZZ_CHECK("url-canonical-idempotent", twice == canonical,
               "CanonicalResource(" + Escape(input) +
                   ") = " + Escape(canonical) +
                   " but canonicalising that gives " + Escape(twice));
    FUZZ_CHECK("url-canonical-no-fragment", parsed_canonical->fragment.empty(),
               Escape(canonical) + " has a fragment");
  }
  std::optional<std::string> from_text =
      mcpcred::oauth2::CanonicalResource(input);
  FUZZ_CHECK("url-canonical-string", from_text == canonical,
             "CanonicalResource(string) disagrees for " + Escape(input));

  const std::string origin = mcpcred::oauth2::Origin(url);
  std::optional<Url> parsed_origin = mcpcred::oauth2::ParseUrl(origin);
  FUZZ_CHECK("url-origin",
             parsed_origin.has_value() && parsed_origin->scheme == url.scheme &&
                 parsed_origin->host == url.host &&
                 parsed_origin->port == url.port &&
                 parsed_origin->path == "/" && parsed_origin->query.empty(),
             "Origin(" + Show(url) + ") = " + Escape(origin));
}

void CheckWellKnown(const Url& url, std::string_view input) {
  const std::string origin = mcpcred::oauth2::Origin(url);
  const std::vector<std::string> resource_urls =
      mcpcred::oauth2::ProtectedResourceMetadataUrls(url);
  const bool has_suffix = url.path != "/" || !url.query.empty();
  FUZZ_CHECK(
      "url-well-known-resource", resource_urls.size() == (has_suffix ? 2u : 1u),
      std::to_string(resource_urls.size()) + " URLs for " + Escape(input));
  for (size_t i = 0; i < resource_urls.size(); ++i) {
    std::optional<Url> parsed = mcpcred::oauth2::ParseUrl(resource_urls[i]);
    const bool specific = has_suffix && i == 0;
    FUZZ_CHECK(
        "url-well-known-resource",
        parsed.has_value() && mcpcred::oauth2::Origin(*parsed) == origin &&
            parsed->path.rfind("/.well-known/oauth-protected-resource", 0) ==
                0 &&
            parsed->fragment.empty() &&
            parsed->query == (specific ? url.query : std::string()),
        Escape(resource_urls[i]) + " for " + Escape(input));
  }
  for (const std::string& text : mcpcred::oauth2::AuthServerMetadataUrls(url)) {
    std::optional<Url> parsed = mcpcred::oauth2::ParseUrl(text);
    FUZZ_CHECK("url-well-known-issuer",
               parsed.has_value() &&
                   mcpcred::oauth2::Origin(*parsed) == origin &&
                   parsed->query.empty() && parsed->fragment.empty(),
               Escape(text) + " for " + Escape(input));
  }
}

void CheckEndpoint(const Url& url, std::string_view input) {
  const bool loopback = mcpcred::oauth2::IsLoopbackHost(url.host);
  for (bool allow : {false, true}) {
    absl::Status status = mcpcred::oauth2::CheckEndpointUrl(url, allow);
    const bool expected =
        url.fragment.empty() && (url.scheme == "https" || (allow && loopback));
    FUZZ_CHECK("url-check-endpoint", status.ok() == expected,
               "CheckEndpointUrl(" + Show(url) + ", " +
                   (allow ? "true" : "false") + ") = " + status.ToString());
    if (!status.ok()) {
      FUZZ_CHECK("url-check-endpoint-message",
                 status.code() == absl::StatusCode::kInvalidArgument &&
                     !mcpcred::fuzz::HasControl(std::string(status.message())),
                 status.ToString() + " for " + Escape(input));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8 * 1024) return 0;
  const std::string_view input = mcpcred::fuzz::AsText(data, size);

  // Hosts of every shape reach IsLoopbackHost, not only parsed ones.
  (void)mcpcred::oauth2::IsLoopbackHost(input);

  std::optional<Url> url = mcpcred::oauth2::ParseUrl(input);
  if (!url.has_value()) {
    FUZZ_CHECK("url-canonical-string",
               !mcpcred::oauth2::CanonicalResource(input).has_value(),
               "CanonicalResource accepts " + Escape(input) +
                   ", which ParseUrl refuses");
    return 0;
  }
  CheckParts(*url, input);
  CheckReparse(*url, input);
  CheckWellKnown(*url, input);
  CheckEndpoint(*url, input);
  return 0;
}

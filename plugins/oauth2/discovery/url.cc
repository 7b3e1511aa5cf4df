#include "plugins/oauth2/discovery/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::oauth2 {
namespace {

int DefaultPort(const std::string& scheme) {
  return scheme == "https" ? 443 : 80;
}

bool IsRegNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_';
}

// Digits only, 1-65535; an empty text is "no port" (RFC 3986 allows "h:").
std::optional<int> ParsePort(std::string_view text) {
  if (text.empty()) return 0;
  if (text.size() > 5) return std::nullopt;
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

bool IsIpv6Literal(std::string_view inside_brackets) {
  in6_addr address;
  return inet_pton(AF_INET6, std::string(inside_brackets).c_str(), &address) ==
         1;
}

// Splits "host[:port]" or "[v6][:port]"; the host comes back lower-cased.
bool ParseAuthority(std::string_view authority, std::string* host, int* port) {
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    if (!IsIpv6Literal(authority.substr(1, close - 1))) return false;
    *host = std::string(authority.substr(0, close + 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.find(':');
    std::string_view name = authority.substr(0, colon);
    if (colon != std::string_view::npos)
      port_text = authority.substr(colon + 1);
    if (name.empty() || name == ".") return false;
    for (char c : name) {
      if (!IsRegNameChar(c)) return false;
    }
    *host = std::string(name);
  }
  std::optional<int> parsed_port = ParsePort(port_text);
  if (!parsed_port.has_value()) return false;
  absl::AsciiStrToLower(host);
  *port = *parsed_port;
  return true;
}

std::string Display(const Url& url) {
  std::string text = RequestUrl(url);
  if (!url.fragment.empty()) absl::StrAppend(&text, "#", url.fragment);
  return text;
}

}  // namespace

std::optional<Url> ParseUrl(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  }
  size_t separator = text.find("://");
  if (separator == std::string_view::npos) return std::nullopt;
  Url url;
  url.scheme = absl::AsciiStrToLower(absl::string_view(text.data(), separator));
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;

  std::string_view rest = text.substr(separator + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  if (!ParseAuthority(authority, &url.host, &url.port)) return std::nullopt;
  if (url.port == DefaultPort(url.scheme)) url.port = 0;

  std::string_view tail = authority_end == std::string_view::npos
                              ? std::string_view()
                              : rest.substr(authority_end);
  size_t hash = tail.find('#');
  if (hash != std::string_view::npos) {
    url.fragment = std::string(tail.substr(hash + 1));
    tail = tail.substr(0, hash);
  }
  size_t question = tail.find('?');
  if (question != std::string_view::npos) {
    url.query = std::string(tail.substr(question + 1));
    tail = tail.substr(0, question);
  }
  url.path = tail.empty() ? "/" : std::string(tail);
  return url;
}

int EffectivePort(const Url& url) {
  return url.port != 0 ? url.port : DefaultPort(url.scheme);
}

std::string Origin(const Url& url) {
  std::string origin = absl::StrCat(url.scheme, "://", url.host);
  if (url.port != 0 && url.port != DefaultPort(url.scheme)) {
    absl::StrAppend(&origin, ":", url.port);
  }
  return origin;
}

std::string RequestUrl(const Url& url) {
  std::string text = absl::StrCat(Origin(url), url.path);
  if (!url.query.empty()) absl::StrAppend(&text, "?", url.query);
  return text;
}

std::string CanonicalResource(const Url& url) {
  std::string text = Origin(url);
  if (url.path != "/") absl::StrAppend(&text, url.path);
  if (!url.query.empty()) absl::StrAppend(&text, "?", url.query);
  return text;
}

std::optional<std::string> CanonicalResource(std::string_view text) {
  std::optional<Url> url = ParseUrl(text);
  if (!url.has_value()) return std::nullopt;
  return CanonicalResource(*url);
}

bool ResourceCovers(std::string_view resource, std::string_view server) {
  std::optional<Url> r = ParseUrl(resource);
  std::optional<Url> s = ParseUrl(server);
  if (!r.has_value() || !s.has_value()) return false;
  if (CanonicalResource(*r) == CanonicalResource(*s)) return true;
  if (Origin(*r) != Origin(*s) || !r->query.empty()) return false;
  std::string prefix = r->path;
  if (prefix.empty() || prefix.back() != '/') prefix.push_back('/');
  return s->path.compare(0, prefix.size(), prefix) == 0;
}

bool IsLoopbackHost(std::string_view host) {
  std::string name =
      absl::AsciiStrToLower(absl::string_view(host.data(), host.size()));
  if (name == "localhost") return true;
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  in_addr v4;
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, name.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

absl::Status CheckEndpointUrl(const Url& url, bool allow_http_loopback) {
  if (!url.fragment.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", Display(url), "\" must not have a fragment"));
  }
  if (url.scheme == "https") return absl::OkStatus();
  if (allow_http_loopback && IsLoopbackHost(url.host)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", Display(url), "\" must use https",
      allow_http_loopback ? " (http is allowed only on loopback hosts)" : ""));
}

}  // namespace mcpcred::oauth2

// Fuzzes ParseWwwAuthenticate and FindBearer
// (plugins/oauth2/discovery/www_authenticate.h): the whole input is the
// header value of a 401 answer.
//
// Invariants:
//  - every challenge has a non-empty, lower-case token as its scheme;
//    parameter names are non-empty lower-case tokens; a token68 challenge
//    has no parameters;
//  - FindBearer(header) equals FindBearer(ParseWwwAuthenticate(header)) and
//    is the first "bearer" challenge's parameters;
//  - parsing is a function of the input (two runs agree), and a header
//    joined to itself with ", " (RFC 9110 5.3) gives twice as many
//    challenges when no quoted string is left open.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/oauth2/discovery/www_authenticate.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Escape;
using mcpcred::oauth2::BearerChallenge;
using mcpcred::oauth2::Challenge;

bool IsLowerToken(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && std::strchr("!#$%&'*+-.^_`|~", c) == nullptr) return false;
    if (c == '\0') return false;
  }
  return true;
}

bool Same(const std::optional<BearerChallenge>& a,
          const std::optional<BearerChallenge>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a.has_value()) return true;
  return a->resource_metadata == b->resource_metadata && a->scope == b->scope &&
         a->error == b->error && a->error_description == b->error_description;
}

bool Same(const std::vector<Challenge>& a, const std::vector<Challenge>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].scheme != b[i].scheme || a[i].params != b[i].params ||
        a[i].token68 != b[i].token68) {
      return false;
    }
  }
  return true;
}

// No quoted string is left open at the end of the header: then nothing of
// one copy can swallow the ", " and the next copy.
bool QuotesBalanced(std::string_view text) {
  bool in_quote = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (in_quote && text[i] == '\\') {
      ++i;
      if (i == text.size()) return false;
      continue;
    }
    if (text[i] == '"') in_quote = !in_quote;
  }
  return !in_quote;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const std::string_view header = mcpcred::fuzz::AsText(data, size);

  const std::vector<Challenge> challenges =
      mcpcred::oauth2::ParseWwwAuthenticate(header);
  for (const Challenge& challenge : challenges) {
    FUZZ_CHECK(
        "www-auth-scheme-token", IsLowerToken(challenge.scheme),
        "scheme " + Escape(challenge.scheme) + " from " + Escape(header));
    for (const auto& [name, value] : challenge.params) {
      FUZZ_CHECK("www-auth-param-name-token", IsLowerToken(name),
                 "parameter name " + Escape(name) + " from " + Escape(header));
    }
    FUZZ_CHECK("www-auth-token68-alone",
               challenge.token68.empty() || challenge.params.empty(),
               "token68 challenge with parameters from " + Escape(header));
  }

  const std::optional<BearerChallenge> direct =
      mcpcred::oauth2::FindBearer(header);
  const std::optional<BearerChallenge> via =
      mcpcred::oauth2::FindBearer(challenges);
  FUZZ_CHECK("www-auth-find-bearer-consistent", Same(direct, via),
             "FindBearer(header) differs for " + Escape(header));
  const Challenge* first_bearer = nullptr;
  for (const Challenge& challenge : challenges) {
    if (challenge.scheme == "bearer") {
      first_bearer = &challenge;
      break;
    }
  }
  FUZZ_CHECK(
      "www-auth-find-bearer-first",
      direct.has_value() == (first_bearer != nullptr),
      "FindBearer disagrees with the challenge list for " + Escape(header));
  if (direct.has_value() && first_bearer != nullptr) {
    auto param = [&](const char* name) {
      auto it = first_bearer->params.find(name);
      return it == first_bearer->params.end() ? std::string() : it->second;
    };
    FUZZ_CHECK("www-auth-find-bearer-first",
               direct->resource_metadata == param("resource_metadata") &&
                   direct->scope == param("scope") &&
                   direct->error == param("error") &&
                   direct->error_description == param("error_description"),
               "FindBearer's parameters differ for " + Escape(header));
  }

  FUZZ_CHECK("www-auth-deterministic",
             Same(challenges, mcpcred::oauth2::ParseWwwAuthenticate(header)),
             "two parses differ for " + Escape(header));

  if (QuotesBalanced(header) && size <= 4096) {
    // A parameter-shaped element at the start of the second copy attaches
    // to the first copy's last challenge, so only the count is compared.
    const std::string joined = std::string(header) + ", " + std::string(header);
    const size_t joined_count =
        mcpcred::oauth2::ParseWwwAuthenticate(joined).size();
    FUZZ_CHECK("www-auth-join", joined_count == 2 * challenges.size(),
               "joining " + Escape(header) + " to itself with \", \" gives " +
                   std::to_string(joined_count) + " challenges, not 2 x " +
                   std::to_string(challenges.size()));
  }
  return 0;
}

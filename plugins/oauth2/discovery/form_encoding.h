// application/x-www-form-urlencoded encoding and decoding (the WHATWG URL
// standard's serializer and parser, as RFC 6749 appendix B uses them): token
// request bodies, authorization request query strings, and the query of the
// redirect to the loopback listener. Pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_FORM_ENCODING_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_FORM_ENCODING_H_

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mcpcred/common/secret_string.h"

namespace mcpcred::oauth2 {

// Name/value pairs (a form, a query, request headers) whose values may be
// secrets: an authorization code, a PKCE verifier, a refresh token, a client
// secret, an Authorization header. Every value's buffer is zeroed when the
// list goes or is assigned over (Wipe), so a secret put in one is wiped by
// the type, not by each caller. A std::vector otherwise; copies wipe their own
// values, a moved-from list is empty.
//
// A braced list is taken as views, and each value copied once, straight into
// the list: a list of std::string pairs would leave an unwiped copy in its
// backing array. Pass secrets as views of what wipes them (a SecretString's
// view()), never as a temporary std::string. A value short enough for
// std::string's inline buffer is copied when the vector grows, so the list
// keeps room for a few more pairs (a client's authentication, a resource).
class FormParams : public std::vector<std::pair<std::string, std::string>> {
 public:
  FormParams() = default;
  FormParams(
      std::initializer_list<std::pair<std::string_view, std::string_view>>
          pairs);
  FormParams(const FormParams&) = default;
  FormParams(FormParams&&) noexcept = default;
  FormParams& operator=(const FormParams& other);
  FormParams& operator=(FormParams&& other) noexcept;
  ~FormParams() { Wipe(); }

  // Zeroes every value's whole buffer and leaves it empty (names and
  // buffers stay, so a test can look).
  void Wipe() noexcept;
};

// One name or value: ALPHA, DIGIT and "-._~" stay, a space becomes "+",
// every other byte becomes %XX (upper-case hex).
std::string FormEncodeComponent(std::string_view text);

// FormEncodeComponent of a secret, written straight into a SecretString.
SecretString FormEncodeSecret(std::string_view text);

// "name=value&name=value" in the given order; an empty list gives "". The
// result is written in place, sized first: no outgrown copy of a value stays
// behind (the caller wipes the result, as an HttpCall does).
std::string FormEncode(const FormParams& params);

// `url` with FormEncode(params) added to its query: after "?" when it has
// none, else after "&"; before any "#fragment". Unchanged when `params` is
// empty.
std::string AppendQuery(std::string_view url, const FormParams& params);

// Splits a query string (a single leading "?" is skipped) on "&" into
// name/value pairs in order, "+" decoded as a space and %XX sequences
// decoded; a malformed "%" sequence is kept as written, a pair without "="
// has an empty value, and empty pairs ("&&") are skipped.
FormParams ParseQueryPairs(std::string_view query);

// ParseQueryPairs as a map; when a name repeats, its first value wins (a
// caller that must reject repeats, as RFC 6749 section 3.1 asks, uses
// ParseQueryPairs). The map wipes nothing: for a query that carries a
// secret (the redirect's code) use ParseQueryPairs and FirstValue.
std::map<std::string, std::string> ParseQuery(std::string_view query);

// The first value of `name` in `pairs`, or "" when it is absent.
const std::string& FirstValue(const FormParams& pairs, std::string_view name);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_FORM_ENCODING_H_

// application/x-www-form-urlencoded encoding and decoding (the WHATWG URL
// standard's serializer and parser, as RFC 6749 appendix B uses them): token
// request bodies, authorization request query strings, and the query of the
// redirect to the loopback listener. Pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_FORM_ENCODING_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_FORM_ENCODING_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpcred::oauth2 {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// One name or value: ALPHA, DIGIT and "-._~" stay, a space becomes "+",
// every other byte becomes %XX (upper-case hex).
std::string FormEncodeComponent(std::string_view text);

// "name=value&name=value" in the given order; an empty list gives "".
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
// ParseQueryPairs).
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_FORM_ENCODING_H_

// Fuzzes ParseQuery and ParseQueryPairs
// (plugins/oauth2/discovery/form_encoding.h): the whole input is the query
// of the redirect that reaches the loopback listener (code, state, iss...),
// which any local process or web page can send.
//
// Invariants:
//  - ParseQuery is ParseQueryPairs with the first value of each name;
//  - FormEncode then ParseQueryPairs gives the pairs back, and FormEncode
//    writes only unreserved characters, "%XX", "+", "=" and "&";
//  - a value encoded with FormEncodeComponent decodes to itself;
//  - AppendQuery on a redirect URI with a query and a fragment keeps both,
//    and the parsed query is the old pairs followed by the new ones.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "plugins/oauth2/discovery/form_encoding.h"
#include "plugins/oauth2/discovery/url.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Escape;
using mcpcred::oauth2::FormParams;

std::string Show(const FormParams& pairs) {
  std::string out = "[";
  for (const auto& [name, value] : pairs) {
    out += "(" + Escape(name, 64) + ", " + Escape(value, 64) + ")";
  }
  return out + "]";
}

bool IsEncodedChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '%' || c == '+' || c == '=' ||
         c == '&';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const std::string_view query = mcpcred::fuzz::AsText(data, size);

  const FormParams pairs = mcpcred::oauth2::ParseQueryPairs(query);
  const std::map<std::string, std::string> map =
      mcpcred::oauth2::ParseQuery(query);
  std::map<std::string, std::string> first;
  for (const auto& [name, value] : pairs) first.emplace(name, value);
  FUZZ_CHECK("query-map-first-value", map == first,
             "ParseQuery is not the first value of each name of " +
                 Show(pairs) + " for " + Escape(query));

  const std::string encoded = mcpcred::oauth2::FormEncode(pairs);
  for (char c : encoded) {
    FUZZ_CHECK("query-encode-charset", IsEncodedChar(c),
               "FormEncode wrote " + Escape(std::string(1, c)) + " in " +
                   Escape(encoded));
  }
  const FormParams decoded = mcpcred::oauth2::ParseQueryPairs(encoded);
  FUZZ_CHECK("query-round-trip", decoded == pairs,
             "FormEncode(" + Show(pairs) + ") = " + Escape(encoded) +
                 " parses back to " + Show(decoded));

  const FormParams whole = mcpcred::oauth2::ParseQueryPairs(
      "v=" + mcpcred::oauth2::FormEncodeComponent(query));
  FUZZ_CHECK(
      "query-component-round-trip",
      whole.size() == 1 && whole[0].first == "v" && whole[0].second == query,
      "FormEncodeComponent(" + Escape(query) + ") does not decode back");

  if (!pairs.empty()) {
    const std::string url = mcpcred::oauth2::AppendQuery(
        "http://127.0.0.1:8976/callback?x=1#frag", pairs);
    std::optional<mcpcred::oauth2::Url> parsed = mcpcred::oauth2::ParseUrl(url);
    FUZZ_CHECK("query-append-parses", parsed.has_value(),
               "AppendQuery gives " + Escape(url) + ", which does not parse");
    if (parsed.has_value()) {
      FormParams expected = {{"x", "1"}};
      expected.insert(expected.end(), pairs.begin(), pairs.end());
      FUZZ_CHECK(
          "query-append-keeps",
          parsed->fragment == "frag" && parsed->path == "/callback" &&
              mcpcred::oauth2::ParseQueryPairs(parsed->query) == expected,
          "AppendQuery gives " + Escape(url));
    }
  }
  return 0;
}

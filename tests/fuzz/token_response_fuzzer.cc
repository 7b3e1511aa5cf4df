// Fuzzes ParseTokenResponse (plugins/oauth2/discovery/token_response.h): the
// answer of a token endpoint, for every grant.
//
// Input: byte 0 picks the HTTP status (low 4 bits, from kStatuses) and, with
// bit 6, a token URL that carries the first secret in its query. Then the
// secrets the caller sent (a refresh token, a client secret, a device code),
// separated by TAB, up to the first LF. The rest is the body.
//   e.g. "0rt-ABC\tcs-XYZ\n{\"access_token\":\"...\"}"
//
// Invariants:
//  - success only on a 2xx answer, with a VSCHAR access token, type Bearer,
//    0 <= expires_in <= 10^9 and a VSCHAR refresh token when one is set;
//  - an error's message and code are one line (no control character), valid
//    UTF-8 when the secrets are, and ToStatus carries the message;
//  - an error's message and code never show a secret: neither one the
//    caller passed nor a token member of the body (access_token,
//    refresh_token, id_token, device_code, client_secret). To be sure that
//    an occurrence is a leak and not an accident of the message's own
//    wording, this is checked for every such secret of 4 or more bytes
//    made of bytes that the fixed parts of messages never use (see
//    IsCheckable), spaces allowed inside;
//  - the classification follows the header's rules for well-formed codes
//    and for bodies without "error".
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/token_response.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Contains;
using mcpcred::fuzz::Escape;
using mcpcred::oauth2::TokenErrorKind;
using mcpcred::oauth2::TokenResult;

constexpr int kStatuses[16] = {200, 201, 204, 299, 400, 401, 403, 404,
                               408, 429, 500, 502, 503, 302, 0,   999};
constexpr char kTokenUrl[] = "https://as.example.com/token";

// Bytes no fixed part of a message uses: not the words of the templates
// ("token endpoint ... answered HTTP 400", "malformed token response",
// "not a JSON object", "[redacted]", "...", the token URL and its query
// "?client_secret=", digits), so an occurrence of a secret made only of
// these bytes lies inside one piece of untrusted text.
bool IsOutsideTemplateByte(unsigned char c) {
  if (c >= 0x80) return true;
  if (c >= 'A' && c <= 'Z') {
    return std::string_view("HTPJSONB").find(static_cast<char>(c)) ==
           std::string_view::npos;
  }
  return std::string_view("!#$%&'*+,-<>@\\^`{|}~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool IsCheckable(std::string_view secret) {
  if (secret.size() < 4) return false;
  if (!IsOutsideTemplateByte(secret.front()) ||
      !IsOutsideTemplateByte(secret.back())) {
    return false;
  }
  return std::all_of(secret.begin(), secret.end(), [](char c) {
    return c == ' ' || IsOutsideTemplateByte(static_cast<unsigned char>(c));
  });
}

bool IsVschar(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c <= 0x7e;
  });
}

std::optional<std::string> StringMember(const nlohmann::json& doc,
                                        const char* name) {
  if (!doc.is_object()) return std::nullopt;
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<TokenErrorKind> KindOfCode(std::string_view code) {
  if (code == "invalid_grant") return TokenErrorKind::kLoginRequired;
  if (code == "temporarily_unavailable" || code == "server_error") {
    return TokenErrorKind::kRetryable;
  }
  if (code == "authorization_pending") {
    return TokenErrorKind::kAuthorizationPending;
  }
  if (code == "slow_down") return TokenErrorKind::kSlowDown;
  if (code == "expired_token") return TokenErrorKind::kExpiredToken;
  if (code == "access_denied") return TokenErrorKind::kAccessDenied;
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  const int status = kStatuses[data[0] & 0x0f];
  const bool secret_in_url = (data[0] & 0x40) != 0;
  auto [secret_line, body] = mcpcred::fuzz::SplitHeader(
      mcpcred::fuzz::AsText(data + 1, size - 1), '\n');
  const std::vector<std::string> caller_secrets =
      mcpcred::fuzz::SplitList(secret_line, '\t');
  std::vector<std::string_view> secret_views(caller_secrets.begin(),
                                             caller_secrets.end());
  std::string token_url = kTokenUrl;
  if (secret_in_url && !caller_secrets.empty()) {
    token_url += "?client_secret=" + caller_secrets[0];
  }

  const TokenResult result = mcpcred::oauth2::ParseTokenResponse(
      status, body, token_url, absl::MakeConstSpan(secret_views));

  const nlohmann::json doc = nlohmann::json::parse(
      body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  const std::string where = "HTTP " + std::to_string(status) + " body " +
                            Escape(body) + " secrets " + Escape(secret_line);

  if (result.ok()) {
    const auto& tokens = result.tokens();
    FUZZ_CHECK("token-success-needs-2xx", status >= 200 && status < 300, where);
    FUZZ_CHECK("token-access-token-vschar",
               IsVschar(tokens.access_token.view()),
               "access_token " + Escape(tokens.access_token.view()) + " from " +
                   where);
    FUZZ_CHECK("token-type-bearer", tokens.token_type == "Bearer", where);
    FUZZ_CHECK(
        "token-expires-in-range",
        !tokens.expires_in.has_value() ||
            (*tokens.expires_in >= 0 && *tokens.expires_in <= 1000000000),
        "expires_in " + std::to_string(tokens.expires_in.value_or(-1)) +
            " from " + where);
    FUZZ_CHECK("token-refresh-token-vschar",
               !tokens.refresh_token.has_value() ||
                   IsVschar(tokens.refresh_token->view()),
               where);
    FUZZ_CHECK("token-access-token-from-body",
               StringMember(doc, "access_token") ==
                   std::string(tokens.access_token.view()),
               where);
    return 0;
  }

  const auto& error = result.error();
  FUZZ_CHECK("token-error-one-line",
             !mcpcred::fuzz::HasControl(error.message) &&
                 !mcpcred::fuzz::HasControl(error.error),
             "message " + Escape(error.message) + " code " +
                 Escape(error.error) + " for " + where);
  const bool secrets_utf8 = std::all_of(
      caller_secrets.begin(), caller_secrets.end(),
      [](const std::string& s) { return mcpcred::fuzz::IsValidUtf8(s); });
  if (secrets_utf8) {
    FUZZ_CHECK("token-error-utf8",
               mcpcred::fuzz::IsValidUtf8(error.message) &&
                   mcpcred::fuzz::IsValidUtf8(error.error),
               "message " + Escape(error.message) + " for " + where);
  }
  const absl::Status as_status = mcpcred::oauth2::ToStatus(error);
  FUZZ_CHECK("token-to-status",
             !as_status.ok() &&
                 std::string(as_status.message()) == error.message &&
                 !mcpcred::oauth2::TokenErrorKindName(error.kind).empty(),
             as_status.ToString());

  // No secret in the message.
  std::vector<std::string> secrets = caller_secrets;
  for (const char* name : {"access_token", "refresh_token", "id_token",
                           "device_code", "client_secret"}) {
    if (auto value = StringMember(doc, name)) {
      secrets.push_back(*value);
    }
  }
  for (const std::string& secret : secrets) {
    if (!IsCheckable(secret)) continue;
    FUZZ_CHECK(
        "token-error-shows-secret",
        !Contains(error.message, secret) && !Contains(error.error, secret),
        "secret " + Escape(secret) + " is in message " + Escape(error.message) +
            " / code " + Escape(error.error) + " for " + where);
  }

  // Classification.
  std::optional<std::string> code = StringMember(doc, "error");
  if (code.has_value()) {
    // Only codes that redaction and OneLine leave alone are predictable.
    const bool untouched =
        code->size() <= 64 && !mcpcred::fuzz::HasControl(*code) &&
        std::none_of(secrets.begin(), secrets.end(), [&](const std::string& s) {
          return !s.empty() && Contains(*code, s);
        });
    if (untouched) {
      FUZZ_CHECK("token-error-code-kept", error.error == *code, where);
      std::optional<TokenErrorKind> kind = KindOfCode(*code);
      TokenErrorKind expected = kind.has_value() ? *kind
                                : (status >= 500 || status == 429)
                                    ? TokenErrorKind::kRetryable
                                    : TokenErrorKind::kFatal;
      FUZZ_CHECK(
          "token-error-kind", error.kind == expected,
          "kind " +
              std::string(mcpcred::oauth2::TokenErrorKindName(error.kind)) +
              " for " + where);
    }
  } else if (status < 200 || status >= 300) {
    const bool retryable = status >= 500 || status == 429 || status == 408;
    FUZZ_CHECK(
        "token-error-kind",
        error.kind == (retryable ? TokenErrorKind::kRetryable
                                 : TokenErrorKind::kFatal) &&
            error.error.empty(),
        "kind " + std::string(mcpcred::oauth2::TokenErrorKindName(error.kind)) +
            " for " + where);
  } else {
    FUZZ_CHECK(
        "token-error-kind",
        error.kind == TokenErrorKind::kRetryable ||
            error.kind == TokenErrorKind::kFatal,
        "kind " + std::string(mcpcred::oauth2::TokenErrorKindName(error.kind)) +
            " for " + where);
  }
  return 0;
}

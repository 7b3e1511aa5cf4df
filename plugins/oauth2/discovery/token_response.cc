#include "plugins/oauth2/discovery/token_response.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/one_line.h"
#include "plugins/sdk/wipe_json.h"

namespace mcpcred::oauth2 {
namespace {

using Json = nlohmann::json;

constexpr int64_t kMaxExpiresIn = 1000000000;

absl::string_view AbslView(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

// The string member `name` of `doc` in place (no copy), or null.
const std::string* StringRef(const Json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

// Replaces every known secret by "[redacted]", longest first so that a
// secret containing another is removed whole. It holds views, not copies:
// the secrets outlive it (the caller's, and the parsed answer's).
class Redactor {
 public:
  void Add(std::string_view secret) {
    if (!secret.empty()) secrets_.push_back(secret);
  }
  void AddMember(const Json& doc, const char* name) {
    if (const std::string* value = StringRef(doc, name)) Add(*value);
  }
  std::string Apply(std::string_view text) const {
    std::vector<std::string_view> sorted = secrets_;
    std::sort(sorted.begin(), sorted.end(),
              [](std::string_view a, std::string_view b) {
                return a.size() > b.size();
              });
    std::string out(text);
    for (std::string_view secret : sorted) {
      // The text may echo a secret: the outgrown copy is wiped.
      std::string next =
          absl::StrReplaceAll(out, {{AbslView(secret), "[redacted]"}});
      WipeString(&out);
      out = std::move(next);
    }
    return out;
  }

 private:
  std::vector<std::string_view> secrets_;
};

std::optional<std::string> StringMember(const Json& doc, const char* name) {
  const std::string* value = StringRef(doc, name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

// RFC 6749 appendix A: tokens are 1*VSCHAR (%x20-7E).
bool IsVschar(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c <= 0x7e;
  });
}

std::optional<int64_t> ExpiresIn(const Json& doc) {
  auto it = doc.find("expires_in");
  if (it == doc.end()) return std::nullopt;
  if (it->is_number_unsigned()) {
    return static_cast<int64_t>(
        std::min<uint64_t>(it->get<uint64_t>(), kMaxExpiresIn));
  }
  if (it->is_number_integer()) {
    int64_t value = it->get<int64_t>();
    if (value < 0) return std::nullopt;
    return std::min(value, kMaxExpiresIn);
  }
  if (it->is_number_float()) {
    double value = it->get<double>();
    if (!std::isfinite(value) || value < 0) return std::nullopt;
    return static_cast<int64_t>(
        std::min(std::floor(value), static_cast<double>(kMaxExpiresIn)));
  }
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > 18) return std::nullopt;
    int64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return std::min(value, kMaxExpiresIn);
  }
  return std::nullopt;
}

TokenErrorKind KindForCode(std::string_view code, int http_status) {
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
  if (http_status >= 500 || http_status == 429) {
    return TokenErrorKind::kRetryable;
  }
  return TokenErrorKind::kFatal;
}

TokenResult Failure(TokenErrorKind kind, std::string error,
                    std::string message) {
  TokenError token_error;
  token_error.kind = kind;
  token_error.error = std::move(error);
  token_error.message = std::move(message);
  return TokenResult(std::move(token_error));
}

// RFC 6749 section 5.2: {"error", "error_description", "error_uri"}.
TokenResult ErrorResponse(const Json& doc, int http_status,
                          const std::string& endpoint,
                          const Redactor& redactor) {
  // Redacted before and after OneLine: folding whitespace can turn an echoed
  // "a\tb" into the "a b" that was sent (found by fuzzing).
  // The members are read in place: one may echo a secret.
  std::string code =
      redactor.Apply(OneLine(redactor.Apply(*StringRef(doc, "error")), 64));
  std::string message = absl::StrCat("token endpoint ", endpoint,
                                     " answered HTTP ", http_status, " ", code);
  if (const std::string* description = StringRef(doc, "error_description");
      description != nullptr && !description->empty()) {
    absl::StrAppend(&message, ": ",
                    redactor.Apply(OneLine(redactor.Apply(*description), 200)));
  }
  if (const std::string* uri = StringRef(doc, "error_uri");
      uri != nullptr && !uri->empty()) {
    absl::StrAppend(&message, " (see ",
                    redactor.Apply(OneLine(redactor.Apply(*uri), 200)), ")");
  }
  TokenErrorKind kind = KindForCode(code, http_status);
  return Failure(kind, std::move(code), std::move(message));
}

TokenResult Malformed(const std::string& endpoint, std::string_view detail) {
  return Failure(TokenErrorKind::kRetryable, "",
                 absl::StrCat("malformed token response from ", endpoint, ": ",
                              AbslView(detail)));
}

}  // namespace

std::string_view TokenErrorKindName(TokenErrorKind kind) {
  switch (kind) {
    case TokenErrorKind::kLoginRequired:
      return "login_required";
    case TokenErrorKind::kRetryable:
      return "retryable";
    case TokenErrorKind::kAuthorizationPending:
      return "authorization_pending";
    case TokenErrorKind::kSlowDown:
      return "slow_down";
    case TokenErrorKind::kExpiredToken:
      return "expired_token";
    case TokenErrorKind::kAccessDenied:
      return "access_denied";
    case TokenErrorKind::kFatal:
      return "fatal";
  }
  return "unknown";
}

TokenResult ParseTokenResponse(int http_status, std::string_view body,
                               std::string_view token_url,
                               absl::Span<const std::string_view> secrets) {
  Json doc = plugin::ParseJson(body);
  plugin::JsonWiper wipe_doc(&doc);
  bool success_status = http_status >= 200 && http_status < 300;

  Redactor redactor;
  for (std::string_view secret : secrets) redactor.Add(secret);
  if (doc.is_object()) {
    for (const char* name : {"access_token", "refresh_token", "id_token",
                             "device_code", "client_secret"}) {
      redactor.AddMember(doc, name);
    }
  }
  const std::string endpoint = OneLine(redactor.Apply(token_url), 200);
  if (doc.is_object()) {
    if (StringRef(doc, "error") != nullptr) {
      return ErrorResponse(doc, http_status, endpoint, redactor);
    }
  }
  if (!success_status) {
    bool retryable =
        http_status >= 500 || http_status == 429 || http_status == 408;
    std::string message = absl::StrCat("token endpoint ", endpoint,
                                       " answered HTTP ", http_status);
    if (http_status >= 300 && http_status < 400) {
      absl::StrAppend(&message, " (redirects are not followed)");
    }
    return Failure(
        retryable ? TokenErrorKind::kRetryable : TokenErrorKind::kFatal, "",
        std::move(message));
  }
  if (!doc.is_object()) return Malformed(endpoint, "not a JSON object");

  const std::string* access_token = StringRef(doc, "access_token");
  if (access_token == nullptr || access_token->empty()) {
    return Malformed(endpoint, "no \"access_token\"");
  }
  if (!IsVschar(*access_token)) {
    return Malformed(endpoint, "\"access_token\" has invalid characters");
  }
  std::string token_type = StringMember(doc, "token_type").value_or("Bearer");
  if (!absl::EqualsIgnoreCase(token_type, "bearer")) {
    return Failure(TokenErrorKind::kFatal, "",
                   absl::StrCat("token endpoint ", endpoint, " issued a ",
                                QuotedForMessage(redactor.Apply(token_type)),
                                " token; only Bearer tokens are supported"));
  }
  const std::string* refresh_token = StringRef(doc, "refresh_token");
  if (refresh_token != nullptr && !refresh_token->empty() &&
      !IsVschar(*refresh_token)) {
    return Malformed(endpoint, "\"refresh_token\" has invalid characters");
  }
  TokenSet tokens;
  tokens.access_token.assign(*access_token);
  tokens.token_type = "Bearer";
  tokens.expires_in = ExpiresIn(doc);
  if (refresh_token != nullptr && !refresh_token->empty()) {
    tokens.refresh_token.emplace(*refresh_token);
  }
  tokens.scope = StringMember(doc, "scope");
  return TokenResult(std::move(tokens));
}

absl::Status ToStatus(const TokenError& error) {
  switch (error.kind) {
    case TokenErrorKind::kLoginRequired:
      return absl::FailedPreconditionError(error.message);
    case TokenErrorKind::kRetryable:
    case TokenErrorKind::kAuthorizationPending:
    case TokenErrorKind::kSlowDown:
      return absl::UnavailableError(error.message);
    case TokenErrorKind::kExpiredToken:
      return absl::DeadlineExceededError(error.message);
    case TokenErrorKind::kAccessDenied:
      return absl::PermissionDeniedError(error.message);
    case TokenErrorKind::kFatal:
      return absl::InvalidArgumentError(error.message);
  }
  return absl::UnknownError(error.message);
}

}  // namespace mcpcred::oauth2

// Fuzzes ParseResourceMetadata (RFC 9728) and ParseAuthServerMetadata
// (RFC 8414) from plugins/oauth2/discovery/metadata.h. Both documents come
// from servers found by discovery, before any trust is established.
//
// Input: byte 0 picks the options, the rest is the document body.
//   bit 0     allow_http_loopback
//   bit 1     a source_url (holding control characters) for messages
//   bits 2-3  the expected resource / issuer: 0 the document's own
//             "resource" / "issuer" member when it is a string (so that
//             fuzzing gets past the comparison), 1 a fixed URL with a path,
//             2 a fixed origin, 3 a text that is no URL at all
//
// Invariants:
//  - an error is UNAVAILABLE exactly when the body is not a JSON object,
//    INVALID_ARGUMENT otherwise; its message is one line of valid UTF-8;
//  - resource metadata that parses is for the expected resource (compared
//    canonically), lists at least one authorization server, and each one
//    parses and passes CheckEndpointUrl under the same options;
//  - server metadata that parses has exactly the expected issuer, a token
//    endpoint, and every endpoint present passes CheckEndpointUrl;
//    SupportsS256 and RequireS256 agree and RequireS256's message is one
//    line of valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/metadata.h"
#include "plugins/oauth2/discovery/url.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Escape;
using mcpcred::oauth2::MetadataOptions;

std::optional<std::string> StringMember(const nlohmann::json& doc,
                                        const char* name) {
  if (!doc.is_object()) return std::nullopt;
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void CheckError(const absl::Status& status, bool is_object,
                std::string_view body, const char* what) {
  const std::string where =
      std::string(what) + " " + status.ToString() + " for body " + Escape(body);
  if (is_object) {
    FUZZ_CHECK("metadata-error-code",
               status.code() == absl::StatusCode::kInvalidArgument, where);
  } else {
    FUZZ_CHECK("metadata-error-code",
               status.code() == absl::StatusCode::kUnavailable ||
                   status.code() == absl::StatusCode::kInvalidArgument,
               where);
  }
  FUZZ_CHECK("metadata-error-one-line",
             !mcpcred::fuzz::HasControl(std::string(status.message())), where);
  FUZZ_CHECK("metadata-error-utf8",
             mcpcred::fuzz::IsValidUtf8(std::string(status.message())), where);
}

void CheckEndpoint(const std::optional<std::string>& value, bool allow,
                   const char* name, std::string_view body) {
  if (!value.has_value()) return;
  std::optional<mcpcred::oauth2::Url> url = mcpcred::oauth2::ParseUrl(*value);
  FUZZ_CHECK(
      "metadata-endpoint-valid",
      url.has_value() && mcpcred::oauth2::CheckEndpointUrl(*url, allow).ok(),
      std::string(name) + " " + Escape(*value) + " was accepted from " +
          Escape(body));
}

void FuzzResourceMetadata(std::string_view body, const nlohmann::json& doc,
                          uint8_t flags, const MetadataOptions& options) {
  std::string expected;
  switch ((flags >> 2) & 3) {
    case 0:
      expected =
          StringMember(doc, "resource").value_or("https://mcp.example.com/mcp");
      break;
    case 1:
      expected = "https://mcp.example.com/mcp";
      break;
    case 2:
      expected = "https://MCP.example.com:443/";
      break;
    default:
      expected = "mcp.example.com/\x01";
      break;
  }
  auto result = mcpcred::oauth2::ParseResourceMetadata(body, expected, options);
  if (!result.ok()) {
    const bool expected_is_url =
        mcpcred::oauth2::ParseUrl(expected).has_value();
    // An expected resource that is no URL fails first, whatever the body.
    CheckError(result.status(), doc.is_object() || !expected_is_url, body,
               "ParseResourceMetadata");
    return;
  }
  FUZZ_CHECK("metadata-resource-matches",
             mcpcred::oauth2::CanonicalResource(result->resource) ==
                 mcpcred::oauth2::CanonicalResource(expected),
             "resource " + Escape(result->resource) + " accepted for " +
                 Escape(expected));
  FUZZ_CHECK("metadata-resource-is-object", doc.is_object(),
             "accepted a body that is not a JSON object: " + Escape(body));
  FUZZ_CHECK("metadata-authorization-servers",
             !result->authorization_servers.empty(),
             "no authorization server in accepted " + Escape(body));
  for (const std::string& issuer : result->authorization_servers) {
    CheckEndpoint(issuer, options.allow_http_loopback,
                  "authorization_servers[]", body);
  }
}

void FuzzAuthServerMetadata(std::string_view body, const nlohmann::json& doc,
                            uint8_t flags, const MetadataOptions& options) {
  std::string expected;
  switch ((flags >> 2) & 3) {
    case 0:
      expected =
          StringMember(doc, "issuer").value_or("https://auth.example.com");
      break;
    case 1:
      expected = "https://auth.example.com/tenant1";
      break;
    case 2:
      expected = "https://auth.example.com";
      break;
    default:
      expected = "auth.example.com \x01";
      break;
  }
  auto result =
      mcpcred::oauth2::ParseAuthServerMetadata(body, expected, options);
  if (!result.ok()) {
    CheckError(result.status(), doc.is_object(), body,
               "ParseAuthServerMetadata");
    return;
  }
  const bool allow = options.allow_http_loopback;
  FUZZ_CHECK(
      "metadata-issuer-matches", result->issuer == expected,
      "issuer " + Escape(result->issuer) + " accepted for " + Escape(expected));
  FUZZ_CHECK("metadata-token-endpoint", !result->token_endpoint.empty(),
             "empty token_endpoint accepted from " + Escape(body));
  CheckEndpoint(result->issuer, allow, "issuer", body);
  CheckEndpoint(result->token_endpoint, allow, "token_endpoint", body);
  CheckEndpoint(result->authorization_endpoint, allow, "authorization_endpoint",
                body);
  CheckEndpoint(result->device_authorization_endpoint, allow,
                "device_authorization_endpoint", body);
  CheckEndpoint(result->registration_endpoint, allow, "registration_endpoint",
                body);
  CheckEndpoint(result->revocation_endpoint, allow, "revocation_endpoint",
                body);
  CheckEndpoint(result->introspection_endpoint, allow, "introspection_endpoint",
                body);

  const absl::Status s256 = mcpcred::oauth2::RequireS256(*result);
  FUZZ_CHECK("metadata-s256-consistent", s256.ok() == result->SupportsS256(),
             "RequireS256 and SupportsS256 disagree for " + Escape(body));
  if (!s256.ok()) {
    FUZZ_CHECK("metadata-error-one-line",
               !mcpcred::fuzz::HasControl(std::string(s256.message())),
               s256.ToString() + " for " + Escape(body));
    FUZZ_CHECK("metadata-error-utf8",
               mcpcred::fuzz::IsValidUtf8(std::string(s256.message())),
               s256.ToString() + " for " + Escape(body));
  }
  const bool code_grant = result->SupportsGrant("authorization_code");
  FUZZ_CHECK("metadata-default-grants",
             !result->grant_types_supported.empty() || code_grant,
             "no grant_types_supported must mean authorization_code");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  const uint8_t flags = data[0];
  const std::string_view body = mcpcred::fuzz::AsText(data + 1, size - 1);

  MetadataOptions options;
  options.allow_http_loopback = (flags & 1) != 0;
  if ((flags & 2) != 0) {
    options.source_url = "https://mcp.example.com/.well-known/\r\n\x1b[31mx";
  }
  const nlohmann::json doc =
      nlohmann::json::parse(body.begin(), body.end(), nullptr,
                            /*allow_exceptions=*/false);
  FuzzResourceMetadata(body, doc, flags, options);
  FuzzAuthServerMetadata(body, doc, flags, options);
  return 0;
}

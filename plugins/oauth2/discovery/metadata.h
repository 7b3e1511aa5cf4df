// Parsing and validation of the two discovery documents: RFC 9728 protected
// resource metadata and RFC 8414 authorization server metadata (the OpenID
// Connect discovery document has the same shape for what is used here).
//
// Errors are one line a person can act on, naming the document's URL:
//   INVALID_ARGUMENT - a JSON object that is wrong: a mismatched `resource`
//     or `issuer`, a missing required member, a member of the wrong type, an
//     endpoint that is not https (http only on loopback hosts, if allowed).
//   UNAVAILABLE - the body is not a JSON object at all (an HTML error or
//     catch-all page): the caller may try the next well-known URL.
// Unknown members are ignored. Pure and thread-safe.
#ifndef MCPCRED_PLUGINS_OAUTH2_DISCOVERY_METADATA_H_
#define MCPCRED_PLUGINS_OAUTH2_DISCOVERY_METADATA_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mcpcred::oauth2 {

struct MetadataOptions {
  // Where the document came from; named in messages when set.
  std::string_view source_url;
  // http endpoints on loopback hosts (127.0.0.0/8, ::1, localhost) pass.
  bool allow_http_loopback = true;
  // The 2025-03-26 fallback: the document at the MCP server's origin names
  // its own issuer, which is taken as it is instead of being compared.
  bool any_issuer = false;
};

struct ResourceMetadata {
  std::string resource;                            // as the document states it
  std::vector<std::string> authorization_servers;  // issuers, never empty
  std::vector<std::string> scopes_supported;       // empty when absent
};

// Parses RFC 9728 protected resource metadata. `resource` must cover
// `expected_resource` (ResourceCovers in url.h: the same URL once both are
// canonicalised, or its origin or a parent path, as root metadata names it),
// else INVALID_ARGUMENT naming both; `authorization_servers` must be
// a non-empty array of issuer URLs that pass CheckEndpointUrl;
// `scopes_supported`, when present, an array of strings.
absl::StatusOr<ResourceMetadata> ParseResourceMetadata(
    std::string_view body, std::string_view expected_resource,
    const MetadataOptions& options = {});

struct AuthServerMetadata {
  std::string issuer;
  // Absent for servers that only issue client credentials tokens.
  std::optional<std::string> authorization_endpoint;
  std::string token_endpoint;
  std::optional<std::string> device_authorization_endpoint;  // RFC 8628
  std::optional<std::string> registration_endpoint;          // RFC 7591
  std::optional<std::string> revocation_endpoint;            // RFC 7009
  std::optional<std::string> introspection_endpoint;         // RFC 7662
  // Each empty when absent; see the accessors for the defaults.
  std::vector<std::string> scopes_supported;
  std::vector<std::string> response_types_supported;
  std::vector<std::string> grant_types_supported;
  std::vector<std::string> code_challenge_methods_supported;
  std::vector<std::string> token_endpoint_auth_methods_supported;
  std::vector<std::string> token_endpoint_auth_signing_alg_values_supported;
  // The server takes an https URL of a Client ID Metadata Document as
  // client_id (draft-ietf-oauth-client-id-metadata-document).
  bool client_id_metadata_document_supported = false;
  // RFC 9207: the server puts `iss` on authorization responses.
  bool authorization_response_iss_parameter_supported = false;

  // True when code_challenge_methods_supported lists "S256". An absent list
  // means no PKCE support, and the MCP spec says to refuse then.
  bool SupportsS256() const;
  // Whether `grant_type` is listed; an absent grant_types_supported means
  // ["authorization_code", "implicit"] (RFC 8414 section 2).
  bool SupportsGrant(std::string_view grant_type) const;
};

// Parses RFC 8414 authorization server metadata fetched for
// `expected_issuer`. `issuer` must equal it exactly (RFC 8414 section 3.3;
// unless options.any_issuer), else INVALID_ARGUMENT: `authorization server metadata at URL has issuer
// "X", expected "Y"`. `token_endpoint` is required; every endpoint present
// must pass CheckEndpointUrl; list members must be arrays of strings.
absl::StatusOr<AuthServerMetadata> ParseAuthServerMetadata(
    std::string_view body, std::string_view expected_issuer,
    const MetadataOptions& options = {});

// OK when the server supports PKCE S256; otherwise INVALID_ARGUMENT:
// `the authorization server does not support PKCE S256
// (code_challenge_methods_supported: ["plain"]): refusing to log in`.
absl::Status RequireS256(const AuthServerMetadata& metadata);

}  // namespace mcpcred::oauth2

#endif  // MCPCRED_PLUGINS_OAUTH2_DISCOVERY_METADATA_H_

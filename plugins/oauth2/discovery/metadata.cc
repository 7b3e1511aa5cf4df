#include "plugins/oauth2/discovery/metadata.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/one_line.h"
#include "plugins/oauth2/discovery/url.h"

namespace mcpcred::oauth2 {
namespace {

using Json = nlohmann::json;

// "authorization server metadata at https://..." or without " at ...".
std::string Describe(std::string_view document, const MetadataOptions& o) {
  std::string text(document);
  if (!o.source_url.empty()) {
    absl::StrAppend(&text, " at ", OneLine(o.source_url, 200));
  }
  return text;
}

absl::StatusOr<Json> ParseObject(std::string_view body,
                                 const std::string& where) {
  Json doc = Json::parse(body.begin(), body.end(), nullptr,
                         /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    return absl::UnavailableError(absl::StrCat(where, " is not a JSON object"));
  }
  return doc;
}

// A member that is absent or null leaves `out` empty; one of another type
// than string is an error.
absl::Status GetString(const Json& doc, const char* name,
                       const std::string& where,
                       std::optional<std::string>* out) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"", name, "\" is not a string"));
  }
  *out = it->get<std::string>();
  return absl::OkStatus();
}

absl::Status GetStringList(const Json& doc, const char* name,
                           const std::string& where,
                           std::vector<std::string>* out) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) return absl::OkStatus();
  bool ok = it->is_array() &&
            std::all_of(it->begin(), it->end(),
                        [](const Json& item) { return item.is_string(); });
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"", name, "\" is not an array of strings"));
  }
  for (const Json& item : *it) out->push_back(item.get<std::string>());
  return absl::OkStatus();
}

absl::Status CheckUrlMember(const std::string& value, const char* name,
                            const std::string& where,
                            const MetadataOptions& options) {
  std::optional<Url> url = ParseUrl(value);
  if (!url.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": \"", name,
                     "\" is not an http(s) URL: ", QuotedForMessage(value)));
  }
  absl::Status status = CheckEndpointUrl(*url, options.allow_http_loopback);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": \"", name, "\" ",
        OneLine(
            std::string_view(status.message().data(), status.message().size()),
            300)));
  }
  return absl::OkStatus();
}

// An optional endpoint: absent is fine, present must be a usable URL.
absl::Status GetEndpoint(const Json& doc, const char* name,
                         const std::string& where,
                         const MetadataOptions& options,
                         std::optional<std::string>* out) {
  if (absl::Status s = GetString(doc, name, where, out); !s.ok()) return s;
  if (!out->has_value()) return absl::OkStatus();
  return CheckUrlMember(**out, name, where, options);
}

std::string ListForMessage(const std::vector<std::string>& items) {
  std::string text = "[";
  for (size_t i = 0; i < items.size() && i < 10; ++i) {
    absl::StrAppend(&text, i == 0 ? "" : ", ", QuotedForMessage(items[i]));
  }
  if (items.size() > 10) absl::StrAppend(&text, ", ...");
  return text + "]";
}

}  // namespace

absl::StatusOr<ResourceMetadata> ParseResourceMetadata(
    std::string_view body, std::string_view expected_resource,
    const MetadataOptions& options) {
  const std::string where = Describe("protected resource metadata", options);
  std::optional<std::string> expected = CanonicalResource(expected_resource);
  if (!expected.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the resource ", QuotedForMessage(expected_resource),
                     " is not an http(s) URL"));
  }
  absl::StatusOr<Json> doc = ParseObject(body, where);
  if (!doc.ok()) return doc.status();

  ResourceMetadata metadata;
  std::optional<std::string> resource;
  if (absl::Status s = GetString(*doc, "resource", where, &resource); !s.ok()) {
    return s;
  }
  if (!resource.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " has no \"resource\""));
  }
  if (!ResourceCovers(*resource, *expected)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " is for resource ", QuotedForMessage(*resource),
                     ", expected ", QuotedForMessage(*expected)));
  }
  metadata.resource = *std::move(resource);

  if (absl::Status s = GetStringList(*doc, "authorization_servers", where,
                                     &metadata.authorization_servers);
      !s.ok()) {
    return s;
  }
  if (metadata.authorization_servers.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " lists no \"authorization_servers\""));
  }
  for (const std::string& issuer : metadata.authorization_servers) {
    absl::Status s =
        CheckUrlMember(issuer, "authorization_servers", where, options);
    if (!s.ok()) return s;
  }
  if (absl::Status s = GetStringList(*doc, "scopes_supported", where,
                                     &metadata.scopes_supported);
      !s.ok()) {
    return s;
  }
  return metadata;
}

absl::StatusOr<AuthServerMetadata> ParseAuthServerMetadata(
    std::string_view body, std::string_view expected_issuer,
    const MetadataOptions& options) {
  const std::string where = Describe("authorization server metadata", options);
  absl::StatusOr<Json> doc = ParseObject(body, where);
  if (!doc.ok()) return doc.status();

  AuthServerMetadata metadata;
  std::optional<std::string> issuer;
  if (absl::Status s = GetString(*doc, "issuer", where, &issuer); !s.ok()) {
    return s;
  }
  if (!issuer.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " has no \"issuer\""));
  }
  if (!options.any_issuer && *issuer != expected_issuer) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " has issuer ", QuotedForMessage(*issuer),
                     ", expected ", QuotedForMessage(expected_issuer)));
  }
  if (absl::Status s = CheckUrlMember(*issuer, "issuer", where, options);
      !s.ok()) {
    return s;
  }
  metadata.issuer = *std::move(issuer);

  std::optional<std::string> token_endpoint;
  const std::pair<const char*, std::optional<std::string>*> endpoints[] = {
      {"authorization_endpoint", &metadata.authorization_endpoint},
      {"token_endpoint", &token_endpoint},
      {"device_authorization_endpoint",
       &metadata.device_authorization_endpoint},
      {"registration_endpoint", &metadata.registration_endpoint},
      {"revocation_endpoint", &metadata.revocation_endpoint},
      {"introspection_endpoint", &metadata.introspection_endpoint},
  };
  for (const auto& [name, out] : endpoints) {
    absl::Status s = GetEndpoint(*doc, name, where, options, out);
    if (!s.ok()) return s;
  }
  if (!token_endpoint.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " has no \"token_endpoint\""));
  }
  metadata.token_endpoint = *std::move(token_endpoint);

  const std::pair<const char*, std::vector<std::string>*> lists[] = {
      {"scopes_supported", &metadata.scopes_supported},
      {"response_types_supported", &metadata.response_types_supported},
      {"grant_types_supported", &metadata.grant_types_supported},
      {"code_challenge_methods_supported",
       &metadata.code_challenge_methods_supported},
      {"token_endpoint_auth_methods_supported",
       &metadata.token_endpoint_auth_methods_supported},
      {"token_endpoint_auth_signing_alg_values_supported",
       &metadata.token_endpoint_auth_signing_alg_values_supported},
  };
  for (const auto& [name, out] : lists) {
    absl::Status s = GetStringList(*doc, name, where, out);
    if (!s.ok()) return s;
  }
  auto iss = doc->find("authorization_response_iss_parameter_supported");
  metadata.authorization_response_iss_parameter_supported =
      iss != doc->end() && iss->is_boolean() && iss->get<bool>();
  auto cimd = doc->find("client_id_metadata_document_supported");
  metadata.client_id_metadata_document_supported =
      cimd != doc->end() && cimd->is_boolean() && cimd->get<bool>();
  return metadata;
}

bool AuthServerMetadata::SupportsS256() const {
  return std::find(code_challenge_methods_supported.begin(),
                   code_challenge_methods_supported.end(),
                   "S256") != code_challenge_methods_supported.end();
}

bool AuthServerMetadata::SupportsGrant(std::string_view grant_type) const {
  if (grant_types_supported.empty()) {
    return grant_type == "authorization_code" || grant_type == "implicit";
  }
  return std::find(grant_types_supported.begin(), grant_types_supported.end(),
                   grant_type) != grant_types_supported.end();
}

absl::Status RequireS256(const AuthServerMetadata& metadata) {
  if (metadata.SupportsS256()) return absl::OkStatus();
  std::string methods =
      metadata.code_challenge_methods_supported.empty()
          ? "no code_challenge_methods_supported"
          : absl::StrCat(
                "code_challenge_methods_supported: ",
                ListForMessage(metadata.code_challenge_methods_supported));
  return absl::InvalidArgumentError(
      absl::StrCat("the authorization server does not support PKCE S256 (",
                   methods, "): refusing to log in"));
}

}  // namespace mcpcred::oauth2

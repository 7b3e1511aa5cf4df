#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/metadata.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Json = nlohmann::json;

constexpr char kAsUrl[] =
    "https://auth.example.com/.well-known/oauth-authorization-server";

Json GoodAuthServerMetadata() {
  return {{"issuer", "https://auth.example.com"},
          {"authorization_endpoint", "https://auth.example.com/authorize"},
          {"token_endpoint", "https://auth.example.com/token"},
          {"device_authorization_endpoint", "https://auth.example.com/device"},
          {"registration_endpoint", "https://auth.example.com/register"},
          {"revocation_endpoint", "https://auth.example.com/revoke"},
          {"introspection_endpoint", "https://auth.example.com/introspect"},
          {"scopes_supported", {"openid", "mcp:read"}},
          {"response_types_supported", {"code"}},
          {"grant_types_supported",
           {"authorization_code", "refresh_token",
            "urn:ietf:params:oauth:grant-type:device_code"}},
          {"code_challenge_methods_supported", {"S256"}},
          {"token_endpoint_auth_methods_supported",
           {"none", "client_secret_basic"}},
          {"authorization_response_iss_parameter_supported", true},
          {"some_extension", {{"nested", 1}}}};
}

absl::StatusOr<AuthServerMetadata> ParseAs(
    const Json& doc, const char* expected = "https://auth.example.com") {
  MetadataOptions options;
  options.source_url = kAsUrl;
  return ParseAuthServerMetadata(doc.dump(), expected, options);
}

TEST(ParseAuthServerMetadataTest, AcceptsAGoodDocument) {
  absl::StatusOr<AuthServerMetadata> metadata =
      ParseAs(GoodAuthServerMetadata());
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(metadata->issuer, "https://auth.example.com");
  EXPECT_EQ(metadata->authorization_endpoint,
            "https://auth.example.com/authorize");
  EXPECT_EQ(metadata->token_endpoint, "https://auth.example.com/token");
  EXPECT_EQ(metadata->device_authorization_endpoint,
            "https://auth.example.com/device");
  EXPECT_EQ(metadata->registration_endpoint,
            "https://auth.example.com/register");
  EXPECT_EQ(metadata->revocation_endpoint, "https://auth.example.com/revoke");
  EXPECT_EQ(metadata->introspection_endpoint,
            "https://auth.example.com/introspect");
  EXPECT_THAT(metadata->scopes_supported, ElementsAre("openid", "mcp:read"));
  EXPECT_THAT(metadata->response_types_supported, ElementsAre("code"));
  EXPECT_THAT(metadata->token_endpoint_auth_methods_supported,
              ElementsAre("none", "client_secret_basic"));
  EXPECT_TRUE(metadata->authorization_response_iss_parameter_supported);
  EXPECT_TRUE(metadata->SupportsS256());
  EXPECT_TRUE(RequireS256(*metadata).ok());
  EXPECT_TRUE(metadata->SupportsGrant("refresh_token"));
  EXPECT_TRUE(
      metadata->SupportsGrant("urn:ietf:params:oauth:grant-type:device_code"));
  EXPECT_FALSE(metadata->SupportsGrant("client_credentials"));
}

TEST(ParseAuthServerMetadataTest, OptionalMembersMayBeAbsent) {
  Json doc = {{"issuer", "https://auth.example.com"},
              {"token_endpoint", "https://auth.example.com/token"},
              {"registration_endpoint", nullptr}};
  absl::StatusOr<AuthServerMetadata> metadata = ParseAs(doc);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_FALSE(metadata->authorization_endpoint.has_value());
  EXPECT_FALSE(metadata->device_authorization_endpoint.has_value());
  EXPECT_FALSE(metadata->registration_endpoint.has_value());
  EXPECT_FALSE(metadata->revocation_endpoint.has_value());
  EXPECT_FALSE(metadata->introspection_endpoint.has_value());
  EXPECT_THAT(metadata->grant_types_supported, IsEmpty());
  EXPECT_FALSE(metadata->authorization_response_iss_parameter_supported);
  // RFC 8414 section 2 default.
  EXPECT_TRUE(metadata->SupportsGrant("authorization_code"));
  EXPECT_FALSE(metadata->SupportsGrant("client_credentials"));
}

TEST(ParseAuthServerMetadataTest, IssuerMustMatchExactly) {
  for (const char* expected :
       {"https://auth.example.com/", "https://AUTH.example.com",
        "https://auth.example.com:443", "https://other.example.com"}) {
    absl::StatusOr<AuthServerMetadata> metadata =
        ParseAs(GoodAuthServerMetadata(), expected);
    EXPECT_EQ(metadata.status().code(), absl::StatusCode::kInvalidArgument)
        << expected;
    EXPECT_EQ(metadata.status().message(),
              std::string("authorization server metadata at ") + kAsUrl +
                  " has issuer \"https://auth.example.com\", expected \"" +
                  expected + "\"");
  }
}

TEST(ParseAuthServerMetadataTest, MissingIssuerOrTokenEndpoint) {
  Json doc = GoodAuthServerMetadata();
  doc.erase("issuer");
  EXPECT_THAT(ParseAs(doc).status().message(), HasSubstr("has no \"issuer\""));
  doc = GoodAuthServerMetadata();
  doc.erase("token_endpoint");
  EXPECT_THAT(ParseAs(doc).status().message(),
              HasSubstr("has no \"token_endpoint\""));
}

TEST(ParseAuthServerMetadataTest, EveryEndpointMustBeSecure) {
  for (const char* name :
       {"authorization_endpoint", "token_endpoint",
        "device_authorization_endpoint", "registration_endpoint",
        "revocation_endpoint", "introspection_endpoint"}) {
    Json doc = GoodAuthServerMetadata();
    doc[name] = "http://auth.example.com/x";
    absl::StatusOr<AuthServerMetadata> metadata = ParseAs(doc);
    EXPECT_EQ(metadata.status().code(), absl::StatusCode::kInvalidArgument)
        << name;
    EXPECT_EQ(metadata.status().message(),
              std::string("authorization server metadata at ") + kAsUrl +
                  ": \"" + name +
                  "\" \"http://auth.example.com/x\" must use https (http is "
                  "allowed only on loopback hosts)");
    doc[name] = "https://auth.example.com/x#frag";
    EXPECT_THAT(ParseAs(doc).status().message(),
                HasSubstr("must not have a fragment"))
        << name;
    doc[name] = "/relative";
    EXPECT_THAT(ParseAs(doc).status().message(),
                HasSubstr("is not an http(s) URL"))
        << name;
    doc[name] = true;
    EXPECT_THAT(ParseAs(doc).status().message(),
                HasSubstr("\"" + std::string(name) + "\" is not a string"))
        << name;
  }
}

TEST(ParseAuthServerMetadataTest, LoopbackHttpIssuerForTests) {
  Json doc = {{"issuer", "http://127.0.0.1:4000"},
              {"authorization_endpoint", "http://127.0.0.1:4000/auth"},
              {"token_endpoint", "http://localhost:4000/token"},
              {"code_challenge_methods_supported", {"S256"}}};
  EXPECT_TRUE(
      ParseAuthServerMetadata(doc.dump(), "http://127.0.0.1:4000").ok());
  MetadataOptions strict;
  strict.allow_http_loopback = false;
  EXPECT_FALSE(
      ParseAuthServerMetadata(doc.dump(), "http://127.0.0.1:4000", strict)
          .ok());
}

TEST(ParseAuthServerMetadataTest, ListsMustBeArraysOfStrings) {
  for (const char* name :
       {"scopes_supported", "grant_types_supported",
        "code_challenge_methods_supported", "response_types_supported",
        "token_endpoint_auth_methods_supported"}) {
    Json doc = GoodAuthServerMetadata();
    doc[name] = {"ok", 7};
    EXPECT_THAT(ParseAs(doc).status().message(),
                HasSubstr("is not an array of strings"))
        << name;
  }
}

TEST(ParseAuthServerMetadataTest, NotJsonIsUnavailable) {
  absl::StatusOr<AuthServerMetadata> metadata = ParseAs(Json::array({1, 2}));
  EXPECT_EQ(metadata.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(metadata.status().message(),
            std::string("authorization server metadata at ") + kAsUrl +
                " is not a JSON object");
  EXPECT_EQ(ParseAuthServerMetadata("<html>", "https://a").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(RequireS256Test, RefusesPlainOnly) {
  Json doc = GoodAuthServerMetadata();
  doc["code_challenge_methods_supported"] = {"plain"};
  absl::StatusOr<AuthServerMetadata> metadata = ParseAs(doc);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_FALSE(metadata->SupportsS256());
  absl::Status status = RequireS256(*metadata);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "the authorization server does not support PKCE S256 "
            "(code_challenge_methods_supported: [\"plain\"]): refusing to "
            "log in");
}

TEST(RequireS256Test, RefusesAbsentListAndIsCaseSensitive) {
  Json doc = GoodAuthServerMetadata();
  doc.erase("code_challenge_methods_supported");
  absl::StatusOr<AuthServerMetadata> metadata = ParseAs(doc);
  ASSERT_TRUE(metadata.ok());
  EXPECT_EQ(RequireS256(*metadata).message(),
            "the authorization server does not support PKCE S256 (no "
            "code_challenge_methods_supported): refusing to log in");
  doc["code_challenge_methods_supported"] = {"s256", "plain"};
  metadata = ParseAs(doc);
  ASSERT_TRUE(metadata.ok());
  EXPECT_FALSE(metadata->SupportsS256());
  doc["code_challenge_methods_supported"] = {"plain", "S256"};
  metadata = ParseAs(doc);
  ASSERT_TRUE(metadata.ok());
  EXPECT_TRUE(RequireS256(*metadata).ok());
}

TEST(MetadataMessagesTest, UntrustedValuesStayOnOneShortLine) {
  Json doc = GoodAuthServerMetadata();
  doc["issuer"] = "https://auth.example.com\n" + std::string(5000, 'x');
  absl::Status status = ParseAs(doc).status();
  EXPECT_THAT(status.message(), Not(HasSubstr("\n")));
  EXPECT_LT(status.message().size(), 600u);
}

}  // namespace
}  // namespace mcpcred::oauth2

namespace mcpcred::oauth2 {
namespace {

TEST(ParseAuthServerMetadataTest, ReadsCimdSupportAndSigningAlgorithms) {
  Json doc = GoodAuthServerMetadata();
  EXPECT_FALSE(ParseAs(doc)->client_id_metadata_document_supported);
  doc["client_id_metadata_document_supported"] = true;
  doc["token_endpoint_auth_signing_alg_values_supported"] = {"ES256", "RS256"};
  absl::StatusOr<AuthServerMetadata> metadata = ParseAs(doc);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_TRUE(metadata->client_id_metadata_document_supported);
  EXPECT_THAT(metadata->token_endpoint_auth_signing_alg_values_supported,
              ::testing::ElementsAre("ES256", "RS256"));
}

TEST(ParseAuthServerMetadataTest, AnyIssuerTakesTheDocumentsOwn) {
  Json doc = GoodAuthServerMetadata();
  doc["issuer"] = "https://auth.example.com/oauth";
  MetadataOptions options;
  options.any_issuer = true;
  absl::StatusOr<AuthServerMetadata> metadata =
      ParseAuthServerMetadata(doc.dump(), "", options);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(metadata->issuer, "https://auth.example.com/oauth");
}

}  // namespace
}  // namespace mcpcred::oauth2

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/metadata.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr char kPrmUrl[] =
    "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";

Json GoodResourceMetadata() {
  return {{"resource", "https://mcp.example.com/mcp"},
          {"authorization_servers", {"https://auth.example.com"}},
          {"scopes_supported", {"mcp:read", "mcp:write"}},
          {"bearer_methods_supported", {"header"}}};
}

absl::StatusOr<ResourceMetadata> ParsePrm(const Json& doc,
                                          const char* expected) {
  MetadataOptions options;
  options.source_url = kPrmUrl;
  return ParseResourceMetadata(doc.dump(), expected, options);
}

TEST(ParseResourceMetadataTest, AcceptsAGoodDocument) {
  absl::StatusOr<ResourceMetadata> metadata =
      ParsePrm(GoodResourceMetadata(), "https://mcp.example.com/mcp");
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(metadata->resource, "https://mcp.example.com/mcp");
  EXPECT_THAT(metadata->authorization_servers,
              ElementsAre("https://auth.example.com"));
  EXPECT_THAT(metadata->scopes_supported, ElementsAre("mcp:read", "mcp:write"));
}

TEST(ParseResourceMetadataTest, ComparesCanonicalForms) {
  Json doc = GoodResourceMetadata();
  doc["resource"] = "HTTPS://MCP.EXAMPLE.COM:443/mcp";
  EXPECT_TRUE(ParsePrm(doc, "https://mcp.example.com/mcp#x").ok());
  doc["resource"] = "https://mcp.example.com/";
  EXPECT_TRUE(ParsePrm(doc, "https://mcp.example.com").ok());
}

TEST(ParseResourceMetadataTest, RejectsAnotherResourceNamingBoth) {
  Json doc = GoodResourceMetadata();
  doc["resource"] = "https://evil.example.com/mcp";
  absl::StatusOr<ResourceMetadata> metadata =
      ParsePrm(doc, "https://mcp.example.com/mcp");
  EXPECT_EQ(metadata.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(metadata.status().message(),
            "protected resource metadata at "
            "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
            " is for resource \"https://evil.example.com/mcp\", expected "
            "\"https://mcp.example.com/mcp\"");
}

TEST(ParseResourceMetadataTest, AParentOfTheServerCoversIt) {
  for (const char* parent :
       {"https://mcp.example.com", "https://mcp.example.com/",
        "https://mcp.example.com/v1", "https://mcp.example.com/v1/"}) {
    Json doc = GoodResourceMetadata();
    doc["resource"] = parent;
    EXPECT_TRUE(ParsePrm(doc, "https://mcp.example.com/v1/mcp").ok()) << parent;
  }
}

TEST(ParseResourceMetadataTest, PathsAreComparedBySegment) {
  for (const char* other :
       {"https://mcp.example.com/mcp/", "https://mcp.example.com/MCP",
        "https://mcp.example.com/mc", "https://mcp.example.com:8443/mcp",
        "http://mcp.example.com/mcp", "https://mcp.example.com/mcp?x=1",
        "not a url"}) {
    Json doc = GoodResourceMetadata();
    doc["resource"] = other;
    EXPECT_EQ(ParsePrm(doc, "https://mcp.example.com/mcp").status().code(),
              absl::StatusCode::kInvalidArgument)
        << other;
  }
}

TEST(ParseResourceMetadataTest, RejectsMissingOrBadMembers) {
  struct Case {
    const char* name;
    Json value;
    const char* message_part;
  };
  for (const Case& c : {
           Case{"resource", nullptr, "has no \"resource\""},
           Case{"resource", 42, "\"resource\" is not a string"},
           Case{"authorization_servers", nullptr,
                "lists no \"authorization_servers\""},
           Case{"authorization_servers", Json::array(),
                "lists no \"authorization_servers\""},
           Case{"authorization_servers", "https://auth.example.com",
                "\"authorization_servers\" is not an array of strings"},
           Case{"authorization_servers", Json::array({1}),
                "\"authorization_servers\" is not an array of strings"},
           Case{"authorization_servers", Json::array({"auth.example.com"}),
                "\"authorization_servers\" is not an http(s) URL"},
           Case{"authorization_servers",
                Json::array({"http://auth.example.com"}), "must use https"},
           Case{"scopes_supported", "a b",
                "\"scopes_supported\" is not an array of strings"},
       }) {
    Json doc = GoodResourceMetadata();
    if (c.value.is_null()) {
      doc.erase(c.name);
    } else {
      doc[c.name] = c.value;
    }
    absl::StatusOr<ResourceMetadata> metadata =
        ParsePrm(doc, "https://mcp.example.com/mcp");
    EXPECT_EQ(metadata.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name;
    EXPECT_THAT(metadata.status().message(), HasSubstr(c.message_part))
        << c.name;
    EXPECT_THAT(metadata.status().message(), HasSubstr(kPrmUrl)) << c.name;
  }
}

TEST(ParseResourceMetadataTest, AllowsLoopbackHttpAuthorizationServer) {
  Json doc = GoodResourceMetadata();
  doc["resource"] = "http://127.0.0.1:3000/mcp";
  doc["authorization_servers"] = {"http://127.0.0.1:4000"};
  EXPECT_TRUE(ParsePrm(doc, "http://127.0.0.1:3000/mcp").ok());
  MetadataOptions strict;
  strict.allow_http_loopback = false;
  EXPECT_FALSE(
      ParseResourceMetadata(doc.dump(), "http://127.0.0.1:3000/mcp", strict)
          .ok());
}

TEST(ParseResourceMetadataTest, NotJsonIsUnavailable) {
  for (const char* body : {"", "<html>Not found</html>", "[1,2]", "\"x\"",
                           "{\"resource\":", "null"}) {
    absl::StatusOr<ResourceMetadata> metadata =
        ParseResourceMetadata(body, "https://mcp.example.com/mcp");
    EXPECT_EQ(metadata.status().code(), absl::StatusCode::kUnavailable) << body;
    EXPECT_EQ(metadata.status().message(),
              "protected resource metadata is not a JSON object");
  }
}

TEST(ParseResourceMetadataTest, BadExpectedResource) {
  absl::StatusOr<ResourceMetadata> metadata = ParseResourceMetadata(
      GoodResourceMetadata().dump(), "mcp.example.com/mcp");
  EXPECT_EQ(metadata.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(metadata.status().message(),
              HasSubstr("\"mcp.example.com/mcp\" is not an http(s) URL"));
}

}  // namespace
}  // namespace mcpcred::oauth2

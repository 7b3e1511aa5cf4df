#include "plugins/oauth2/discovery/well_known.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> ResourceUrls(const char* resource) {
  std::optional<Url> url = ParseUrl(resource);
  EXPECT_TRUE(url.has_value()) << resource;
  return url.has_value() ? ProtectedResourceMetadataUrls(*url)
                         : std::vector<std::string>();
}

std::vector<std::string> IssuerUrls(const char* issuer) {
  std::optional<Url> url = ParseUrl(issuer);
  EXPECT_TRUE(url.has_value()) << issuer;
  return url.has_value() ? AuthServerMetadataUrls(*url)
                         : std::vector<std::string>();
}

TEST(ProtectedResourceMetadataUrlsTest, PathSpecificFirstThenRoot) {
  EXPECT_THAT(
      ResourceUrls("https://mcp.example.com/mcp"),
      ElementsAre(
          "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
          "https://mcp.example.com/.well-known/oauth-protected-resource"));
  EXPECT_THAT(ResourceUrls("https://mcp.example.com/public/mcp"),
              ElementsAre("https://mcp.example.com/.well-known/"
                          "oauth-protected-resource/public/mcp",
                          "https://mcp.example.com/.well-known/"
                          "oauth-protected-resource"));
}

TEST(ProtectedResourceMetadataUrlsTest, RootResourceHasOnlyTheRootUrl) {
  for (const char* resource :
       {"https://mcp.example.com", "https://mcp.example.com/",
        "https://MCP.example.com:443/#frag"}) {
    EXPECT_THAT(ResourceUrls(resource),
                ElementsAre("https://mcp.example.com/.well-known/"
                            "oauth-protected-resource"))
        << resource;
  }
}

TEST(ProtectedResourceMetadataUrlsTest, KeepsPortQueryAndTrailingSlash) {
  EXPECT_THAT(
      ResourceUrls("http://127.0.0.1:3000/mcp/?tenant=a#x"),
      ElementsAre(
          "http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp/"
          "?tenant=a",
          "http://127.0.0.1:3000/.well-known/oauth-protected-resource"));
  EXPECT_THAT(
      ResourceUrls("https://r.example.com/?tenant=a"),
      ElementsAre(
          "https://r.example.com/.well-known/oauth-protected-resource?tenant=a",
          "https://r.example.com/.well-known/oauth-protected-resource"));
}

TEST(AuthServerMetadataUrlsTest, IssuerWithPath) {
  EXPECT_THAT(
      IssuerUrls("https://auth.example.com/tenant1"),
      ElementsAre(
          "https://auth.example.com/.well-known/oauth-authorization-server/"
          "tenant1",
          "https://auth.example.com/.well-known/openid-configuration/tenant1",
          "https://auth.example.com/tenant1/.well-known/"
          "openid-configuration"));
}

TEST(AuthServerMetadataUrlsTest, IssuerWithDeepPathAndTrailingSlash) {
  EXPECT_THAT(
      IssuerUrls("https://login.example.com:8443/realms/mcp/"),
      ElementsAre("https://login.example.com:8443/.well-known/"
                  "oauth-authorization-server/realms/mcp",
                  "https://login.example.com:8443/.well-known/"
                  "openid-configuration/realms/mcp",
                  "https://login.example.com:8443/realms/mcp/.well-known/"
                  "openid-configuration"));
}

TEST(AuthServerMetadataUrlsTest, IssuerWithoutPath) {
  for (const char* issuer :
       {"https://auth.example.com", "https://auth.example.com/",
        "https://auth.example.com:443"}) {
    EXPECT_THAT(
        IssuerUrls(issuer),
        ElementsAre(
            "https://auth.example.com/.well-known/oauth-authorization-server",
            "https://auth.example.com/.well-known/openid-configuration"))
        << issuer;
  }
  EXPECT_THAT(
      IssuerUrls("http://localhost:9000"),
      ElementsAre(
          "http://localhost:9000/.well-known/oauth-authorization-server",
          "http://localhost:9000/.well-known/openid-configuration"));
}

}  // namespace
}  // namespace mcpcred::oauth2

// The server URL check and the HTTP+SSE endpoint's resolution, which must
// stay on the server's origin (the bridge sends credentials there).
#include "url_util.h"

#include "gtest/gtest.h"

namespace mcpcred::remote {
namespace {

TEST(UrlUtilTest, ServerUrl) {
  EXPECT_TRUE(CheckServerUrl("https://mcp.example/mcp").ok());
  EXPECT_TRUE(CheckServerUrl("http://127.0.0.1:8080/sse").ok());
  EXPECT_FALSE(CheckServerUrl("file:///etc/passwd").ok());
  EXPECT_FALSE(CheckServerUrl("mcp.example/mcp").ok());
  EXPECT_FALSE(CheckServerUrl("").ok());
}

TEST(UrlUtilTest, EndpointResolvesAgainstTheServerUrl) {
  EXPECT_EQ(*ResolveSameOrigin("http://127.0.0.1:9/sse", "/messages?s=1"),
            "http://127.0.0.1:9/messages?s=1");
  EXPECT_EQ(*ResolveSameOrigin("https://h/a/sse", "messages"),
            "https://h/a/messages");
  EXPECT_EQ(*ResolveSameOrigin("https://h/sse", "https://h:443/m"),
            "https://h:443/m");
}

TEST(UrlUtilTest, EndpointOnAnotherOriginIsRefused) {
  EXPECT_FALSE(ResolveSameOrigin("https://h/sse", "https://evil/m").ok());
  EXPECT_FALSE(ResolveSameOrigin("https://h/sse", "http://h/m").ok());
  EXPECT_FALSE(ResolveSameOrigin("https://h/sse", "https://h:8443/m").ok());
  EXPECT_FALSE(ResolveSameOrigin("https://h/sse", "//evil/m").ok());
}

}  // namespace
}  // namespace mcpcred::remote

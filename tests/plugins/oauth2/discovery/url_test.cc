#include "plugins/oauth2/discovery/url.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::oauth2 {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

TEST(ParseUrlTest, SplitsEveryPart) {
  std::optional<Url> url =
      ParseUrl("https://mcp.example.com:8443/a/b?x=1&y=2#frag");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "mcp.example.com");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->path, "/a/b");
  EXPECT_EQ(url->query, "x=1&y=2");
  EXPECT_EQ(url->fragment, "frag");
}

TEST(ParseUrlTest, LowerCasesSchemeAndHostButNotPath) {
  std::optional<Url> url = ParseUrl("HTTPS://MCP.Example.COM/MCP?Q=A");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "mcp.example.com");
  EXPECT_EQ(url->path, "/MCP");
  EXPECT_EQ(url->query, "Q=A");
}

TEST(ParseUrlTest, DropsDefaultPorts) {
  EXPECT_EQ(ParseUrl("https://h:443/")->port, 0);
  EXPECT_EQ(ParseUrl("http://h:80/")->port, 0);
  EXPECT_EQ(ParseUrl("http://h:443/")->port, 443);
  EXPECT_EQ(ParseUrl("https://h:80/")->port, 80);
  EXPECT_EQ(ParseUrl("https://h:/")->port, 0);
}

TEST(ParseUrlTest, EmptyPathBecomesSlash) {
  EXPECT_EQ(ParseUrl("https://h")->path, "/");
  EXPECT_EQ(ParseUrl("https://h?a=b")->path, "/");
  EXPECT_EQ(ParseUrl("https://h?a=b")->query, "a=b");
  EXPECT_EQ(ParseUrl("https://h#f")->fragment, "f");
  EXPECT_EQ(ParseUrl("https://h/mcp/")->path, "/mcp/");
}

TEST(ParseUrlTest, Ipv6LiteralsKeepBrackets) {
  std::optional<Url> url = ParseUrl("http://[::1]:8080/cb");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->host, "[::1]");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(ParseUrl("https://[2001:DB8::1]/")->host, "[2001:db8::1]");
  EXPECT_EQ(ParseUrl("https://[::ffff:127.0.0.1]")->host, "[::ffff:127.0.0.1]");
}

TEST(ParseUrlTest, RejectsWhatIsNotAPlainHttpUrl) {
  for (const char* text : {
           "",
           "mcp.example.com",
           "/relative/path",
           "ftp://example.com/",
           "file:///etc/passwd",
           "javascript://x",
           "https://",
           "https:///path",
           "https://user:pass@example.com/",
           "https://@example.com/",
           "https://exa mple.com/",
           "https://example.com/a b",
           "https://example.com/\n",
           "https://example.com:0/",
           "https://example.com:65536/",
           "https://example.com:99999999999/",
           "https://example.com:-1/",
           "https://example.com:8a/",
           "https://example.com:1:2/",
           "https://[::1/",
           "https://[::1]x/",
           "https://[not-an-ip]/",
           "https://[fe80::1%25eth0]/",
           "https://exa%6dple.com/",
           "https://ex\xc3\xa4mple.com/",
           "https://./",
           "https:example.com",
       }) {
    EXPECT_FALSE(ParseUrl(text).has_value()) << text;
  }
}

TEST(ParseUrlTest, RandomInputNeverCrashesAndReparsesStably) {
  const std::string alphabet = "hts:/p[]@?#%.1:8Ax-_ \x01\xff";
  std::mt19937 random(7);
  for (int round = 0; round < 20000; ++round) {
    std::string input = round % 2 == 0 ? "https://" : "";
    size_t length = random() % 24;
    for (size_t i = 0; i < length; ++i) {
      input.push_back(alphabet[random() % alphabet.size()]);
    }
    std::optional<Url> url = ParseUrl(input);
    if (!url.has_value()) continue;
    std::optional<Url> again = ParseUrl(RequestUrl(*url));
    ASSERT_TRUE(again.has_value()) << input;
    EXPECT_EQ(again->host, url->host) << input;
    EXPECT_EQ(again->port, url->port) << input;
    EXPECT_EQ(again->path, url->path) << input;
    EXPECT_EQ(again->query, url->query) << input;
    EXPECT_EQ(CanonicalResource(*again), CanonicalResource(*url)) << input;
  }
}

TEST(ParseUrlTest, AcceptsMaximumPort) {
  EXPECT_EQ(ParseUrl("https://h:65535")->port, 65535);
  EXPECT_EQ(ParseUrl("https://h:00443")->port, 0);
}

TEST(UrlTest, OriginAndRequestUrl) {
  Url url = *ParseUrl("HTTPS://Example.com:443/p/q?x=1#f");
  EXPECT_EQ(Origin(url), "https://example.com");
  EXPECT_EQ(RequestUrl(url), "https://example.com/p/q?x=1");
  Url other = *ParseUrl("http://127.0.0.1:8080");
  EXPECT_EQ(Origin(other), "http://127.0.0.1:8080");
  EXPECT_EQ(RequestUrl(other), "http://127.0.0.1:8080/");
  EXPECT_EQ(EffectivePort(url), 443);
  EXPECT_EQ(EffectivePort(*ParseUrl("http://h")), 80);
  EXPECT_EQ(EffectivePort(other), 8080);
}

TEST(CanonicalResourceTest, FollowsTheMcpCanonicalServerUriRules) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {
           Case{"https://mcp.example.com/mcp", "https://mcp.example.com/mcp"},
           Case{"https://mcp.example.com", "https://mcp.example.com"},
           Case{"https://mcp.example.com/", "https://mcp.example.com"},
           Case{"https://mcp.example.com:8443", "https://mcp.example.com:8443"},
           Case{"https://mcp.example.com/server/mcp",
                "https://mcp.example.com/server/mcp"},
           Case{"HTTPS://MCP.EXAMPLE.COM/MCP", "https://mcp.example.com/MCP"},
           Case{"https://mcp.example.com:443/mcp",
                "https://mcp.example.com/mcp"},
           Case{"http://localhost:80/mcp", "http://localhost/mcp"},
           Case{"https://mcp.example.com/mcp#fragment",
                "https://mcp.example.com/mcp"},
           Case{"https://mcp.example.com/mcp?tenant=a",
                "https://mcp.example.com/mcp?tenant=a"},
           // A slash after a real path may mean something: it is kept.
           Case{"https://mcp.example.com/mcp/", "https://mcp.example.com/mcp/"},
           Case{"https://mcp.example.com/a%2Fb",
                "https://mcp.example.com/a%2Fb"},
           Case{"http://[::1]:3000/mcp", "http://[::1]:3000/mcp"},
       }) {
    EXPECT_THAT(CanonicalResource(std::string_view(c.in)), Optional(c.out))
        << c.in;
  }
  EXPECT_FALSE(CanonicalResource(std::string_view("mcp.example.com")));
}

TEST(IsLoopbackHostTest, RecognisesLoopbackSpellings) {
  for (const char* host :
       {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.255",
        "::1", "[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
}

TEST(IsLoopbackHostTest, RejectsEverythingElse) {
  for (const char* host :
       {"", "example.com", "localhost.example.com", "mylocalhost", "128.0.0.1",
        "10.0.0.1", "0.0.0.0", "127.1", "127.0.0.1.nip.io", "0x7f.0.0.1", "::",
        "[::2]", "[fe80::1]", "[::ffff:10.0.0.1]", "[]", "[", "127.0.0.256"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(CheckEndpointUrlTest, HttpsAlwaysPasses) {
  EXPECT_TRUE(
      CheckEndpointUrl(*ParseUrl("https://as.example.com/token"), false).ok());
  EXPECT_TRUE(
      CheckEndpointUrl(*ParseUrl("https://as.example.com/token"), true).ok());
}

TEST(CheckEndpointUrlTest, HttpOnlyOnLoopbackWhenAllowed) {
  for (const char* text : {"http://127.0.0.1:9000/token",
                           "http://localhost/token", "http://[::1]:1/t"}) {
    EXPECT_TRUE(CheckEndpointUrl(*ParseUrl(text), true).ok()) << text;
    absl::Status refused = CheckEndpointUrl(*ParseUrl(text), false);
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(refused.message(), HasSubstr("must use https"));
  }
  absl::Status status =
      CheckEndpointUrl(*ParseUrl("http://as.example.com/token"), true);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "\"http://as.example.com/token\" must use https (http is allowed "
            "only on loopback hosts)");
}

TEST(CheckEndpointUrlTest, RefusesFragments) {
  absl::Status status =
      CheckEndpointUrl(*ParseUrl("https://as.example.com/authorize#x"), true);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("must not have a fragment"));
}

}  // namespace
}  // namespace mcpcred::oauth2

namespace mcpcred::oauth2 {
namespace {

TEST(ResourceCoversTest, SameUrlOrParentPathOnTheSameOrigin) {
  EXPECT_TRUE(ResourceCovers("https://h/mcp", "https://h/mcp"));
  EXPECT_TRUE(ResourceCovers("HTTPS://H:443/mcp", "https://h/mcp"));
  EXPECT_TRUE(ResourceCovers("https://h", "https://h/mcp"));
  EXPECT_TRUE(ResourceCovers("https://h/", "https://h/a/mcp"));
  EXPECT_TRUE(ResourceCovers("https://h/a", "https://h/a/mcp"));
  EXPECT_TRUE(ResourceCovers("https://h/a/", "https://h/a/mcp"));
}

TEST(ResourceCoversTest, RefusesOtherOriginsSiblingsAndChildren) {
  EXPECT_FALSE(ResourceCovers("https://evil.example.com/mcp", "https://h/mcp"));
  EXPECT_FALSE(ResourceCovers("http://h/mcp", "https://h/mcp"));
  EXPECT_FALSE(ResourceCovers("https://h:8443/mcp", "https://h/mcp"));
  EXPECT_FALSE(ResourceCovers("https://h/mc", "https://h/mcp"));
  EXPECT_FALSE(ResourceCovers("https://h/mcp/x", "https://h/mcp"));
  EXPECT_FALSE(ResourceCovers("https://h/?q=1", "https://h/mcp"));
  EXPECT_FALSE(ResourceCovers("not a url", "https://h/mcp"));
}

}  // namespace
}  // namespace mcpcred::oauth2

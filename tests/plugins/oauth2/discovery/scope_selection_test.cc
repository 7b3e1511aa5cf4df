#include "plugins/oauth2/discovery/scope_selection.h"

#include "gtest/gtest.h"

namespace mcpcred::oauth2 {
namespace {

TEST(SelectScopesTest, TheChallengeComesFirst) {
  ScopeInputs in;
  in.challenge_scope = "mcp:basic  mcp:write";
  in.resource_supported = {"mcp:read"};
  EXPECT_EQ(SelectScopes(in), "mcp:basic mcp:write");
}

TEST(SelectScopesTest, ElseTheResourcesScopesSupported) {
  ScopeInputs in;
  in.resource_supported = {"mcp:basic", "mcp:read", "mcp:write"};
  EXPECT_EQ(SelectScopes(in), "mcp:basic mcp:read mcp:write");
}

TEST(SelectScopesTest, ElseNone) { EXPECT_EQ(SelectScopes({}), ""); }

TEST(SelectScopesTest, ConfiguredScopesAddOnceEach) {
  ScopeInputs in;
  in.challenge_scope = "mcp:read";
  in.configured = {"mcp:read", "profile"};
  EXPECT_EQ(SelectScopes(in), "mcp:read profile");
}

TEST(SelectScopesTest, OfflineAccessOnlyWhenWantedAndListed) {
  ScopeInputs in;
  in.resource_supported = {"mcp:basic"};
  in.server_supported = {"mcp:basic", "offline_access"};
  EXPECT_EQ(SelectScopes(in), "mcp:basic");
  in.want_refresh_token = true;
  EXPECT_EQ(SelectScopes(in), "mcp:basic offline_access");
  in.server_supported = {"mcp:basic", "mcp:read"};
  EXPECT_EQ(SelectScopes(in), "mcp:basic");
}

TEST(UnionScopesTest, HeldThenChallenged) {
  EXPECT_EQ(UnionScopes("mcp:basic", {"mcp:basic", "mcp:write"}),
            "mcp:basic mcp:write");
  EXPECT_EQ(UnionScopes("", {"a"}), "a");
  EXPECT_EQ(UnionScopes("a b", {}), "a b");
}

}  // namespace
}  // namespace mcpcred::oauth2

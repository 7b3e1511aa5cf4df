#include "relay/id_router.h"

#include "gtest/gtest.h"

namespace mcpcred::exec::relay {
namespace {

TEST(IdRouterTest, ServerRequestsOfTwoInstancesNeverCollide) {
  IdRouter router;
  Json a = router.MapServerRequest(1, 1);
  Json b = router.MapServerRequest(2, 1);
  Json c = router.MapServerRequest(2, "x");
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_NE(a, c);
  EXPECT_EQ(router.server_requests(), 3u);

  std::optional<ServerRequest> to_b = router.TakeServerRequest(IdKey(b));
  ASSERT_TRUE(to_b.has_value());
  EXPECT_EQ(to_b->instance, 2);
  EXPECT_EQ(to_b->id, 1);
  EXPECT_FALSE(router.TakeServerRequest(IdKey(b)).has_value())
      << "answered once";
  std::optional<ServerRequest> to_c = router.TakeServerRequest(IdKey(c));
  ASSERT_TRUE(to_c.has_value());
  EXPECT_EQ(to_c->id, "x");
}

TEST(IdRouterTest, RelayIdOfAServerRequestForItsCancellation) {
  IdRouter router;
  Json relay_id = router.MapServerRequest(3, 42);
  EXPECT_EQ(router.RelayIdOf(3, 42), relay_id);
  EXPECT_FALSE(router.RelayIdOf(4, 42).has_value());
  EXPECT_FALSE(router.RelayIdOf(3, "42").has_value()) << "42 is not \"42\"";
  router.ForgetInstance(3);
  EXPECT_FALSE(router.RelayIdOf(3, 42).has_value());
  EXPECT_FALSE(router.TakeServerRequest(IdKey(relay_id)).has_value());
}

TEST(IdRouterTest, HostRequestsAreAnsweredByTheirInstanceOnly) {
  IdRouter router;
  router.AddHostRequest(IdKey(1), {1, 1, "tools/call"});
  router.AddHostRequest(IdKey("1"), {2, "1", "tools/list"});
  EXPECT_EQ(router.HostRequestsOf(1), 1u);
  EXPECT_EQ(router.HostRequestsOf(2), 1u);
  EXPECT_FALSE(router.TakeHostResponse(2, IdKey(1)).has_value())
      << "instance 2 does not hold id 1";
  std::optional<HostRequest> answered = router.TakeHostResponse(1, IdKey(1));
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->method, "tools/call");
  std::vector<HostRequest> left = router.TakeHostRequestsOf(2);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, "1");
  EXPECT_EQ(router.host_requests(), 0u);
}

}  // namespace
}  // namespace mcpcred::exec::relay

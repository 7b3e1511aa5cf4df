#include "agent/store/memory_store.h"

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(MemoryStoreTest, RoundTripAndScopedKeys) {
  MemoryStore store;
  EXPECT_TRUE(
      absl::IsNotFound(store.Get({"gh", "refresh_token", "a"}).status()));
  ASSERT_TRUE(store.Put({"gh", "refresh_token", "https://a"}, "r1").ok());
  EXPECT_EQ(*store.Get({"gh", "refresh_token", "https://a"}), "r1");
  // Another server's entry is another entry.
  EXPECT_TRUE(absl::IsNotFound(
      store.Get({"gh", "refresh_token", "https://b"}).status()));
  ASSERT_TRUE(store.Put({"gh", "refresh_token", "https://a"}, "r2").ok());
  EXPECT_EQ(*store.Get({"gh", "refresh_token", "https://a"}), "r2");
  EXPECT_EQ(store.List()->size(), 1u);
  ASSERT_TRUE(store.Delete({"gh", "refresh_token", "https://a"}).ok());
  ASSERT_TRUE(store.Delete({"gh", "refresh_token", "https://a"}).ok());
  EXPECT_TRUE(store.List()->empty());
}

}  // namespace
}  // namespace mcpcred

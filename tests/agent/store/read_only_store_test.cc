#include "agent/store/read_only_store.h"

#include <memory>

#include "agent/store/memory_store.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(ReadOnlyStoreTest, ReadsPassThroughWritesAreRefused) {
  auto memory = std::make_unique<MemoryStore>();
  MemoryStore* inner = memory.get();
  ASSERT_TRUE(inner->Put({"gh", "secret", ""}, "s1").ok());
  ReadOnlyStore store(std::move(memory));

  EXPECT_EQ(store.name(), "memory");
  EXPECT_EQ(*store.Get({"gh", "secret", ""}), "s1");
  EXPECT_TRUE(absl::IsNotFound(store.Get({"other", "secret", ""}).status()));
  EXPECT_EQ(store.List()->size(), 1u);

  absl::Status put = store.Put({"gh", "secret", ""}, "s2");
  EXPECT_TRUE(absl::IsFailedPrecondition(put)) << put;
  EXPECT_EQ(put.message().find("s2"), absl::string_view::npos)
      << "the refusal must not show the value";
  EXPECT_TRUE(absl::IsFailedPrecondition(store.Delete({"gh", "secret", ""})));
  // The wrapped store is as it was.
  EXPECT_EQ(*inner->Get({"gh", "secret", ""}), "s1");
  EXPECT_EQ(inner->List()->size(), 1u);
}

}  // namespace
}  // namespace mcpcred

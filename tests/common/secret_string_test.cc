#include "mcpcred/common/secret_string.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

// What the arena's wipe hook saw: each block given back, and whether every
// byte of it was zero at that moment.
struct Wiped {
  const void* block;
  size_t bytes;
  bool all_zero;
};
std::mutex wiped_mu;
std::vector<Wiped> wiped;

void RecordWipe(const void* block, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(block);
  bool zero = true;
  for (size_t i = 0; i < bytes; ++i) zero = zero && p[i] == 0;
  std::lock_guard<std::mutex> lock(wiped_mu);
  wiped.push_back({block, bytes, zero});
}

class SecretStringTest : public testing::Test {
 protected:
  void SetUp() override {
    wiped.clear();
    SecretArena::SetWipeHookForTesting(&RecordWipe);
  }
  void TearDown() override { SecretArena::SetWipeHookForTesting(nullptr); }

  // Whether `block` was given back, and wiped when it was.
  static bool WasWiped(const void* block) {
    std::lock_guard<std::mutex> lock(wiped_mu);
    for (const Wiped& w : wiped) {
      if (w.block == block) return w.all_zero && w.bytes > 0;
    }
    return false;
  }
};

bool InsideObject(const SecretString& s) {
  const char* object = reinterpret_cast<const char*>(&s);
  return s.data() >= object && s.data() < object + sizeof(s);
}

TEST_F(SecretStringTest, WipesItsBufferWhenDestroyed) {
  const void* buffer;
  {
    SecretString secret("a token that must not outlive its holder");
    buffer = secret.data();
  }
  EXPECT_TRUE(WasWiped(buffer));
}

TEST_F(SecretStringTest, WipesTheOldBufferWhenItGrows) {
  SecretString secret("refresh-token-0123456789");
  const void* first = secret.data();
  secret.append(std::string(500, 'x'));
  ASSERT_NE(secret.data(), first);
  EXPECT_TRUE(WasWiped(first));
  EXPECT_EQ(secret.view().substr(0, 24), "refresh-token-0123456789");
  EXPECT_EQ(secret.size(), 524u);
}

TEST_F(SecretStringTest, ShortValuesNeverUseTheInlineBuffer) {
  SecretString short_one("abc");
  EXPECT_FALSE(InsideObject(short_one));
  SecretString empty;
  empty.push_back('k');
  EXPECT_FALSE(InsideObject(empty));
  SecretString moved_to(std::move(short_one));
  EXPECT_FALSE(InsideObject(moved_to));
  short_one.assign("xyz");  // reused after the move
  EXPECT_FALSE(InsideObject(short_one));
  SecretString resized;
  resized.resize(4);
  EXPECT_FALSE(InsideObject(resized));
  SecretString copy(moved_to);
  EXPECT_FALSE(InsideObject(copy));
  EXPECT_EQ(copy, "abc");
}

TEST_F(SecretStringTest, MoveAssignmentWipesWhatWasOverwritten) {
  SecretString target("the old value of target");
  SecretString source("the new value");
  const char* old = target.data();
  const size_t old_size = target.size();
  target = std::move(source);
  EXPECT_EQ(target, "the new value");
  EXPECT_TRUE(source.empty());
  // The old buffer is either given back (wiped) or still owned by `source`,
  // wiped already.
  if (!WasWiped(old)) {
    ASSERT_EQ(source.data(), old);
    source.resize(old_size);
    EXPECT_EQ(source.view(), std::string(old_size, '\0'));
  }
}

TEST_F(SecretStringTest, ClearAndShrinkWipeTheDroppedBytes) {
  SecretString secret("0123456789abcdef");
  secret.resize(4);
  EXPECT_EQ(secret, "0123");
  secret.resize(16);
  EXPECT_EQ(secret.view(),
            std::string_view("0123\0\0\0\0\0\0\0\0\0\0\0\0", 16));
  secret.clear();
  secret.resize(16);
  EXPECT_EQ(secret.view(), std::string(16, '\0'));
}

TEST_F(SecretStringTest, AssignAndAppendFromItself) {
  SecretString secret("abcdefghijklmnopqrstuvwxyz");
  secret.assign(secret.view().substr(20));
  EXPECT_EQ(secret, "uvwxyz");
  secret.append(secret.view());
  EXPECT_EQ(secret, "uvwxyzuvwxyz");
}

TEST_F(SecretStringTest, TakeFromWipesTheSource) {
  std::string plain = "a secret read into a std::string";
  SecretString taken = SecretString::TakeFrom(&plain);
  EXPECT_EQ(taken, "a secret read into a std::string");
  EXPECT_TRUE(plain.empty());
  plain.resize(plain.capacity());
  EXPECT_EQ(plain, std::string(plain.size(), '\0'));
}

TEST_F(SecretStringTest, KeepsTheNulTerminatorForCApis) {
  SecretString secret("value");
  EXPECT_EQ(std::string(secret.c_str()), "value");
  secret += '!';
  EXPECT_EQ(std::string(secret.c_str()), "value!");
}

TEST(SecretArenaTest, SmallBlocksComeFromTheRegionAndAreReused) {
  SecretArena arena(4 * SecretArena::kPageBytes);
  void* a = arena.Allocate(40);
  void* b = arena.Allocate(40);
  EXPECT_NE(a, b);
  EXPECT_EQ(arena.Stats().in_use_bytes, 128u);  // two 64-byte blocks
  EXPECT_EQ(arena.Stats().region_bytes, 4 * SecretArena::kPageBytes);
  arena.Deallocate(a, 40);
  void* c = arena.Allocate(50);
  EXPECT_EQ(c, a);
  arena.Deallocate(b, 40);
  arena.Deallocate(c, 50);
  EXPECT_EQ(arena.Stats().in_use_bytes, 0u);
}

TEST(SecretArenaTest, FallsBackToTheHeapWhenFull) {
  SecretArena arena(2 * SecretArena::kPageBytes);
  std::vector<void*> blocks;
  for (int i = 0; i < 3; ++i) {
    blocks.push_back(arena.Allocate(SecretArena::kPageBytes));
  }
  SecretArenaStats stats = arena.Stats();
  EXPECT_EQ(stats.heap_fallbacks, 1u);
  EXPECT_EQ(stats.in_use_bytes, 2 * SecretArena::kPageBytes);
  // A block larger than any class always comes from the heap.
  void* large = arena.Allocate(3 * SecretArena::kPageBytes);
  EXPECT_EQ(arena.Stats().heap_fallbacks, 1u);
  arena.Deallocate(large, 3 * SecretArena::kPageBytes);
  for (void* block : blocks) arena.Deallocate(block, SecretArena::kPageBytes);
  EXPECT_EQ(arena.Stats().in_use_bytes, 0u);
}

TEST_F(SecretStringTest, HeapFallbackBlocksAreWipedToo) {
  SecretArena arena(SecretArena::kPageBytes);
  void* in_region = arena.Allocate(SecretArena::kPageBytes);
  void* on_heap = arena.Allocate(100);
  std::memset(on_heap, 'S', 100);
  std::memset(in_region, 'S', SecretArena::kPageBytes);
  arena.Deallocate(on_heap, 100);
  arena.Deallocate(in_region, SecretArena::kPageBytes);
  EXPECT_TRUE(WasWiped(on_heap));
  EXPECT_TRUE(WasWiped(in_region));
}

TEST(SecretArenaTest, ManyThreadsGetDisjointBlocks) {
  SecretArena arena(16 * SecretArena::kPageBytes);
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> corrupted{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::pair<unsigned char*, size_t>> mine;
      for (int i = 0; i < 4000; ++i) {
        const size_t size = 1 + static_cast<size_t>((i * 37 + t * 11) % 3000);
        auto* block = static_cast<unsigned char*>(arena.Allocate(size));
        std::memset(block, t + 1, size);
        mine.emplace_back(block, size);
        if (mine.size() > 20 || i % 3 == 0) {
          auto [old, old_size] = mine.front();
          for (size_t k = 0; k < old_size; ++k) {
            if (old[k] != t + 1) {
              ++corrupted;
              break;
            }
          }
          arena.Deallocate(old, old_size);
          mine.erase(mine.begin());
        }
      }
      for (auto [block, size] : mine) arena.Deallocate(block, size);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(corrupted.load(), 0);
  EXPECT_EQ(arena.Stats().in_use_bytes, 0u);
}

TEST(SecretArenaTest, TheDefaultArenaIsMappedOnFirstUse) {
  SecretString secret("maps the default arena if nothing did yet");
  SecretArenaStats stats = SecretArena::Default().Stats();
  EXPECT_EQ(stats.region_bytes, SecretArena::kDefaultRegionBytes);
  EXPECT_GT(stats.in_use_bytes, 0u);
  // stats.locked depends on RLIMIT_MEMLOCK: best effort, not asserted.
}

TEST(WipeStringTest, WipesTheWholeBuffer) {
  std::string plain(100, 's');
  plain.resize(10);
  WipeString(&plain);
  EXPECT_TRUE(plain.empty());
  plain.resize(plain.capacity());
  EXPECT_EQ(plain, std::string(plain.size(), '\0'));
}

}  // namespace
}  // namespace mcpcred

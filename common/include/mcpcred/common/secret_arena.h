// Where secrets are allocated: a region of anonymous pages kept out of core
// dumps (MADV_DONTDUMP) and, where RLIMIT_MEMLOCK allows, out of swap (mlock).
// Blocks of up to kLargestBlock bytes come from the region, in size classes
// (powers of two from kSmallestBlock); larger blocks, and every block once the
// region is full, come from the heap. Every block is wiped when it is given
// back, wherever it came from.
//
// The region is reserved on the first allocation; each page is locked when it
// is first used, so only what is used counts towards the resident set and
// RLIMIT_MEMLOCK. Locking is best effort: when mlock is refused the region is
// still used (out of core dumps, wiped), and Stats() says it is not locked.
//
// Thread-safe.
#ifndef MCPCRED_COMMON_SECRET_ARENA_H_
#define MCPCRED_COMMON_SECRET_ARENA_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace mcpcred {

// Overwrites `bytes` bytes at `data` with zeros in a way the compiler may not
// optimise away.
void SecureWipe(void* data, size_t bytes);

struct SecretArenaStats {
  size_t region_bytes = 0;      // 0 until the first allocation
  bool locked = false;          // every page used so far is mlock'ed
  size_t in_use_bytes = 0;      // arena blocks handed out (rounded to classes)
  uint64_t heap_fallbacks = 0;  // small blocks that found the region full
};

class SecretArena {
 public:
  static constexpr size_t kPageBytes = 4096;
  static constexpr size_t kSmallestBlock = 32;
  static constexpr size_t kLargestBlock = kPageBytes;
  // The region of the process-wide arena.
  static constexpr size_t kDefaultRegionBytes = 1024 * 1024;

  // The arena every SecretAllocator uses. Never destroyed, so secrets in
  // static objects may outlive everything else.
  static SecretArena& Default();

  // An arena over `region_bytes` (rounded up to whole pages).
  explicit SecretArena(size_t region_bytes);
  ~SecretArena();  // unmaps the region: every block must have been freed
  SecretArena(const SecretArena&) = delete;
  SecretArena& operator=(const SecretArena&) = delete;

  // `bytes` (may be 0) of memory aligned for any fundamental type. Throws
  // std::bad_alloc as operator new does when the heap is exhausted.
  void* Allocate(size_t bytes);
  // Wipes and frees a block from Allocate(bytes) on this arena.
  void Deallocate(void* block, size_t bytes);

  SecretArenaStats Stats();

  // Called with every block after it was wiped and before it is released
  // (so a test may read it), with the bytes that were wiped; nullptr to stop.
  using WipeHook = void (*)(const void* block, size_t bytes);
  static void SetWipeHookForTesting(WipeHook hook);

 private:
  static constexpr int kClasses = 8;  // 32 .. 4096 bytes
  struct FreeBlock {
    FreeBlock* next;
  };

  static int ClassOf(size_t bytes);
  static size_t ClassBytes(int cls) { return kSmallestBlock << cls; }
  void MapLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Owns(const void* block) const;
  void* AllocateInRegionLocked(int cls) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t region_bytes_;
  absl::Mutex mu_;
  // Set once, under mu_, on the first allocation; read without the lock by
  // Owns().
  std::atomic<char*> region_{nullptr};
  bool mapped_ ABSL_GUARDED_BY(mu_) = false;
  bool lock_refused_ ABSL_GUARDED_BY(mu_) = false;
  size_t pages_used_ ABSL_GUARDED_BY(mu_) = 0;
  // The size class of each page carved so far.
  std::vector<int8_t> page_class_ ABSL_GUARDED_BY(mu_);
  FreeBlock* free_[kClasses] ABSL_GUARDED_BY(mu_) = {};
  size_t in_use_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t heap_fallbacks_ ABSL_GUARDED_BY(mu_) = 0;
};

// A standard allocator over SecretArena::Default(): containers of secrets
// wipe every buffer they give back, on destruction and on reallocation.
template <typename T>
class SecretAllocator {
 public:
  static_assert(alignof(T) <= alignof(std::max_align_t));
  using value_type = T;

  SecretAllocator() noexcept = default;
  template <typename U>
  SecretAllocator(const SecretAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    return static_cast<T*>(SecretArena::Default().Allocate(n * sizeof(T)));
  }
  void deallocate(T* block, size_t n) noexcept {
    SecretArena::Default().Deallocate(block, n * sizeof(T));
  }

  template <typename U>
  friend bool operator==(const SecretAllocator&,
                         const SecretAllocator<U>&) noexcept {
    return true;
  }
};

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_SECRET_ARENA_H_

#include "mcpcred/common/secret_arena.h"

#include <string.h>
#include <sys/mman.h>

#include <atomic>
#include <new>

namespace mcpcred {
namespace {

std::atomic<SecretArena::WipeHook> wipe_hook{nullptr};

}  // namespace

void SecureWipe(void* data, size_t bytes) {
  if (data != nullptr && bytes > 0) explicit_bzero(data, bytes);
}

SecretArena& SecretArena::Default() {
  static SecretArena* const arena = new SecretArena(kDefaultRegionBytes);
  return *arena;
}

SecretArena::SecretArena(size_t region_bytes)
    : region_bytes_((region_bytes + kPageBytes - 1) / kPageBytes * kPageBytes) {
}

SecretArena::~SecretArena() {
  absl::MutexLock lock(&mu_);
  if (char* region = region_.load(); region != nullptr) {
    SecureWipe(region, region_bytes_);
    munlock(region, pages_used_ * kPageBytes);
    munmap(region, region_bytes_);
  }
}

void SecretArena::SetWipeHookForTesting(WipeHook hook) { wipe_hook = hook; }

int SecretArena::ClassOf(size_t bytes) {
  int cls = 0;
  while (ClassBytes(cls) < bytes) ++cls;
  return cls;
}

void SecretArena::MapLocked() {
  mapped_ = true;
  if (region_bytes_ == 0) return;
  void* region = mmap(nullptr, region_bytes_, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) return;  // every block comes from the heap
#ifdef MADV_DONTDUMP
  madvise(region, region_bytes_, MADV_DONTDUMP);
#endif
  region_.store(static_cast<char*>(region), std::memory_order_release);
  page_class_.assign(region_bytes_ / kPageBytes, -1);
}

bool SecretArena::Owns(const void* block) const {
  const char* p = static_cast<const char*>(block);
  const char* region = region_.load(std::memory_order_acquire);
  return region != nullptr && p >= region && p < region + region_bytes_;
}

void* SecretArena::AllocateInRegionLocked(int cls) {
  if (FreeBlock* block = free_[cls]; block != nullptr) {
    free_[cls] = block->next;
    block->next = nullptr;
    return block;
  }
  if (pages_used_ == page_class_.size()) return nullptr;
  // A fresh page, cut into blocks of this class: all but the first go to the
  // free list.
  char* page =
      region_.load(std::memory_order_relaxed) + pages_used_ * kPageBytes;
  page_class_[pages_used_++] = static_cast<int8_t>(cls);
  // Pages are locked as they are first used, so an idle process keeps only
  // what it holds resident. Refused beyond RLIMIT_MEMLOCK: the region is then
  // still kept out of core dumps and wiped, only not pinned.
  if (lock_refused_ || mlock(page, kPageBytes) != 0) lock_refused_ = true;
  const size_t size = ClassBytes(cls);
  for (size_t at = kPageBytes - size; at > 0; at -= size) {
    FreeBlock* block = reinterpret_cast<FreeBlock*>(page + at);
    block->next = free_[cls];
    free_[cls] = block;
  }
  return page;
}

void* SecretArena::Allocate(size_t bytes) {
  if (bytes <= kLargestBlock) {
    const int cls = ClassOf(bytes);
    absl::MutexLock lock(&mu_);
    if (!mapped_) MapLocked();
    if (void* block = AllocateInRegionLocked(cls); block != nullptr) {
      in_use_ += ClassBytes(cls);
      return block;
    }
    ++heap_fallbacks_;
  }
  return ::operator new(bytes);
}

void SecretArena::Deallocate(void* block, size_t bytes) {
  if (block == nullptr) return;
  const WipeHook hook = wipe_hook.load(std::memory_order_relaxed);
  if (!Owns(block)) {
    SecureWipe(block, bytes);
    if (hook != nullptr) hook(block, bytes);
    ::operator delete(block);
    return;
  }
  absl::MutexLock lock(&mu_);
  const size_t page =
      static_cast<size_t>(static_cast<char*>(block) - region_.load()) /
      kPageBytes;
  const int cls = page_class_[page];
  SecureWipe(block, ClassBytes(cls));
  if (hook != nullptr) hook(block, ClassBytes(cls));
  FreeBlock* freed = static_cast<FreeBlock*>(block);
  freed->next = free_[cls];
  free_[cls] = freed;
  in_use_ -= ClassBytes(cls);
}

SecretArenaStats SecretArena::Stats() {
  absl::MutexLock lock(&mu_);
  SecretArenaStats stats;
  stats.region_bytes = region_.load() != nullptr ? region_bytes_ : 0;
  stats.locked = pages_used_ > 0 && !lock_refused_;
  stats.in_use_bytes = in_use_;
  stats.heap_fallbacks = heap_fallbacks_;
  return stats;
}

}  // namespace mcpcred

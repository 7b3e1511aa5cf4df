// For test plugins that check the host reads no further than a struct's
// struct_size: a copy of some bytes that ends where an inaccessible page
// begins, so that reading past them crashes the test.
#ifndef MCPCRED_TESTS_PLUGINS_TESTING_GUARD_PAGE_H_
#define MCPCRED_TESTS_PLUGINS_TESTING_GUARD_PAGE_H_

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>

namespace mcpcred::testing {

// Copies `len` bytes of `data` to just before a PROT_NONE page and returns
// the copy (never freed), or nullptr if mmap fails.
inline void* CopyBeforeGuardPage(const void* data, size_t len) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* pages = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pages == MAP_FAILED) return nullptr;
  char* guard = static_cast<char*>(pages) + page;
  if (mprotect(guard, page, PROT_NONE) != 0) return nullptr;
  std::memcpy(guard - len, data, len);
  return guard - len;
}

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_PLUGINS_TESTING_GUARD_PAGE_H_

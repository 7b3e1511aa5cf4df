// A string that holds a secret (a token, a key, a password) and wipes it: every
// buffer it gives back is zeroed first, when it is destroyed, cleared, shrunk
// or reallocated, because its memory comes from the SecretArena (out of core
// dumps, locked in memory where allowed). The short-string buffer inside a
// std::string is never used: a byte of a SecretString is always in arena
// memory.
//
// Copies into memory that is not wiped are explicit and rare: ToUnwipedString()
// (for APIs that only take std::string, whose copy the caller should wipe with
// WipeString), view() for a look that copies nothing, and TakeFrom() to move a
// secret out of a std::string (wiping it). There is no operator<<.
//
// Thread-compatible, like std::string.
#ifndef MCPCRED_COMMON_SECRET_STRING_H_
#define MCPCRED_COMMON_SECRET_STRING_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "mcpcred/common/secret_arena.h"

namespace mcpcred {

class SecretString {
 public:
  using Storage =
      std::basic_string<char, std::char_traits<char>, SecretAllocator<char>>;

  SecretString() noexcept = default;
  explicit SecretString(std::string_view value) { assign(value); }
  // From a literal (tests, fixed values): copies nothing that needs wiping.
  SecretString(const char* literal) { assign(std::string_view(literal)); }
  SecretString(const char* data, size_t size) { assign(data, size); }
  SecretString(const SecretString& other) { assign(other.view()); }
  // The moved-from string is empty.
  SecretString(SecretString&& other) noexcept = default;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString() = default;  // the allocator wipes the buffer

  // Copies `*source` and wipes it (its whole buffer; it is left empty).
  static SecretString TakeFrom(std::string* source);

  const char* data() const { return s_.data(); }
  char* data() { return s_.data(); }
  const char* c_str() const { return s_.c_str(); }
  size_t size() const { return s_.size(); }
  bool empty() const { return s_.empty(); }
  std::string_view view() const { return std::string_view(s_); }
  const char* begin() const { return s_.data(); }
  const char* end() const { return s_.data() + s_.size(); }
  char operator[](size_t i) const { return s_[i]; }
  char& operator[](size_t i) { return s_[i]; }

  // A copy in an ordinary std::string, which nothing wipes: for an API that
  // takes nothing else. Wipe it with WipeString() when done.
  std::string ToUnwipedString() const { return std::string(view()); }

  SecretString& assign(std::string_view value);
  SecretString& assign(const char* data, size_t size) {
    return assign(std::string_view(data, size));
  }
  SecretString& append(std::string_view value);
  SecretString& append(const char* data, size_t size) {
    return append(std::string_view(data, size));
  }
  SecretString& operator+=(std::string_view value) { return append(value); }
  SecretString& operator+=(const SecretString& value) {
    return append(value.view());
  }
  SecretString& operator+=(const char* text) {
    return append(std::string_view(text));
  }
  SecretString& operator+=(char c) { return append(std::string_view(&c, 1)); }
  void push_back(char c) { append(std::string_view(&c, 1)); }
  // Bytes dropped by shrinking are wiped; new ones are '\0'.
  void resize(size_t size);
  void reserve(size_t capacity) { Reserve(capacity); }
  // Wipes the bytes; keeps the buffer.
  void clear();

  friend bool operator==(const SecretString& a, const SecretString& b) {
    return a.view() == b.view();
  }
  friend bool operator==(const SecretString& a, std::string_view b) {
    return a.view() == b;
  }
  friend bool operator==(const SecretString& a, const char* b) {
    return a.view() == std::string_view(b);
  }
  friend bool operator<(const SecretString& a, const SecretString& b) {
    return a.view() < b.view();
  }

 private:
  // Makes room for `capacity` bytes in an arena buffer (never the inline
  // one), growing geometrically.
  void Reserve(size_t capacity);

  Storage s_;
};

// Wipes the whole buffer of an ordinary string (secret bytes that had to pass
// through one, e.g. a protobuf field) and leaves it empty. Copies the string
// made of itself before, on reallocation, are out of reach: prefer
// SecretString.
void WipeString(std::string* value);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_SECRET_STRING_H_

#include "mcpcred/common/secret_string.h"

#include <algorithm>

namespace mcpcred {
namespace {

// The capacity of a std::string's inline buffer: a SecretString reserves
// more than this before it holds a byte, so its bytes are always in the
// allocator's memory.
size_t InlineCapacity() {
  static const size_t capacity = SecretString::Storage().capacity();
  return capacity;
}

bool Overlaps(std::string_view value, const SecretString::Storage& s) {
  return !value.empty() && value.data() >= s.data() &&
         value.data() < s.data() + s.capacity();
}

}  // namespace

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) assign(other.view());
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    SecureWipe(s_.data(), s_.size());
    s_ = std::move(other.s_);
    other.clear();
  }
  return *this;
}

SecretString SecretString::TakeFrom(std::string* source) {
  SecretString taken(*source);
  WipeString(source);
  return taken;
}

void SecretString::Reserve(size_t capacity) {
  const size_t now = s_.capacity();
  if (now > InlineCapacity() && capacity <= now) return;
  s_.reserve(std::max({capacity, InlineCapacity() + 1, 2 * now}));
}

SecretString& SecretString::assign(std::string_view value) {
  if (Overlaps(value, s_)) return *this = SecretString(value);
  if (value.size() < s_.size()) {
    SecureWipe(s_.data() + value.size(), s_.size() - value.size());
  }
  Reserve(value.size());
  s_.assign(value.data(), value.size());
  return *this;
}

SecretString& SecretString::append(std::string_view value) {
  if (Overlaps(value, s_)) return append(SecretString(value).view());
  Reserve(s_.size() + value.size());
  s_.append(value.data(), value.size());
  return *this;
}

void SecretString::resize(size_t size) {
  if (size < s_.size()) {
    SecureWipe(s_.data() + size, s_.size() - size);
  } else {
    Reserve(size);
  }
  s_.resize(size);
}

void SecretString::clear() {
  SecureWipe(s_.data(), s_.size());
  s_.clear();
}

void WipeString(std::string* value) {
  value->resize(value->capacity());
  SecureWipe(value->data(), value->size());
  value->clear();
}

}  // namespace mcpcred

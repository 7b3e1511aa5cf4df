#include "agent/util/log_throttle.h"

#include "absl/strings/str_cat.h"

namespace mcpcred {

bool LogThrottle::Allow(absl::Time now) {
  if (now - last_ < interval_) {
    ++left_out_;
    return false;
  }
  last_ = now;
  reported_ = left_out_;
  left_out_ = 0;
  return true;
}

std::string LogThrottle::Suffix() const {
  if (reported_ == 0) return "";
  return absl::StrCat(" (", reported_, " more since the last one)");
}

}  // namespace mcpcred

#include "host_output.h"

#include <unistd.h>

#include <cerrno>

#include "host_message.h"

namespace mcpcred::remote {

bool HostOutput::Send(std::string_view message) {
  std::string line = masker_->Mask(message);
  line.push_back('\n');
  absl::MutexLock lock(&mu_);
  if (gone_) return false;
  for (size_t done = 0; done < line.size();) {
    ssize_t wrote = write(fd_, line.data() + done, line.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      gone_ = true;
      return false;
    }
    done += static_cast<size_t>(wrote);
  }
  return true;
}

bool HostOutput::SendError(const nlohmann::json& id, int code,
                           const std::string& message) {
  return Send(ErrorResponse(id, code, message));
}

}  // namespace mcpcred::remote

#include "agent/policy/desktop_notifier.h"

#include "absl/status/status.h"
#include "agent/policy/notifier_module.h"
#include "agent/util/internal_module.h"

namespace mcpcred {

absl::StatusOr<bool> AskByNotification(const std::string& question,
                                       absl::Duration timeout, int cancel_fd) {
  absl::StatusOr<const NotifierModule*> module =
      LoadInternalModule<NotifierModule>();
  if (!module.ok()) return absl::UnavailableError(module.status().message());
  return (*module)->ask(question, timeout, cancel_fd);
}

}  // namespace mcpcred

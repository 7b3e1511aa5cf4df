// The interface of the agent's desktop-notifier module
// (modules/desktop-notifier.so, built from gdbus_notifier.cc): GIO's half of
// AskByNotification, loaded at the first question asked that way, so that
// an agent that never asks never maps GLib, GObject and GIO. See
// agent/util/internal_module.h.
#ifndef MCPCRED_AGENT_POLICY_NOTIFIER_MODULE_H_
#define MCPCRED_AGENT_POLICY_NOTIFIER_MODULE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mcpcred {

struct NotifierModule {
  static constexpr char kName[] = "desktop-notifier";
  // AskByNotification, as desktop_notifier.h states it.
  absl::StatusOr<bool> (*ask)(const std::string& question,
                              absl::Duration timeout, int cancel_fd);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_NOTIFIER_MODULE_H_

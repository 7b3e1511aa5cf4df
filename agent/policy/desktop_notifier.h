// Asks the person a yes/no question through a desktop notification with
// actions (the freedesktop.org org.freedesktop.Notifications interface on
// the session D-Bus, through GIO's GDBus), for `confirm = true` when no
// askpass program is set.
//
// The notification carries the question as its body, two actions, "allow"
// (shown as Allow) and "deny" (Deny), and no "default" action, so that a
// click on the notification itself answers nothing; it expires after the
// timeout. Yes is ActionInvoked with "allow"; "deny", or the notification
// being closed (dismissed, expired), is no. The notification is closed once
// answered, timed out or cancelled.
//
// The session bus is $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus
// when that socket exists; it is never launched. Every D-Bus call is bounded
// by the timeout.
//
// GIO is in the agent's desktop-notifier module (notifier_module.h), loaded
// at the first question.
//
// Thread-safety: AskByNotification blocks its thread until the answer and
// uses a main context of its own; run it off gRPC's threads.
#ifndef MCPCRED_AGENT_POLICY_DESKTOP_NOTIFIER_H_
#define MCPCRED_AGENT_POLICY_DESKTOP_NOTIFIER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mcpcred {

// Shows `question` and waits for the person. Returns true for yes, false for
// no; DEADLINE_EXCEEDED when nobody answered within `timeout`, CANCELLED when
// `cancel_fd` became readable first; UNAVAILABLE when there is no session
// bus or no notification server that offers actions (the message says
// which), or the server failed, or the module cannot be loaded (the message
// names its file and why).
absl::StatusOr<bool> AskByNotification(const std::string& question,
                                       absl::Duration timeout, int cancel_fd);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_DESKTOP_NOTIFIER_H_

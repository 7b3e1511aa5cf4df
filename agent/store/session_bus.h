// Whether a D-Bus session bus is configured where GLib looks first:
// $DBUS_SESSION_BUS_ADDRESS, else the socket $XDG_RUNTIME_DIR/bus. Without
// one GLib would "autolaunch" a new bus through dbus-launch when $DISPLAY is
// set: an agent must not spawn a bus, nor wait for one that serves nobody
// else. Checked without GLib, so that the agent can answer "no" without
// loading the secret-service module.
#ifndef MCPCRED_AGENT_STORE_SESSION_BUS_H_
#define MCPCRED_AGENT_STORE_SESSION_BUS_H_

#include "absl/status/status.h"

namespace mcpcred {

// OK, or UNAVAILABLE saying that neither is there.
absl::Status CheckSessionBusConfigured();

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_SESSION_BUS_H_

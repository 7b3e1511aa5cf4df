#include "agent/store/session_bus.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace mcpcred {

absl::Status CheckSessionBusConfigured() {
  if (std::getenv("DBUS_SESSION_BUS_ADDRESS") != nullptr) {
    return absl::OkStatus();
  }
  const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR");
  if (runtime_dir != nullptr &&
      access(absl::StrCat(runtime_dir, "/bus").c_str(), F_OK) == 0) {
    return absl::OkStatus();
  }
  return absl::UnavailableError(
      "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set and there "
      "is no $XDG_RUNTIME_DIR/bus");
}

}  // namespace mcpcred

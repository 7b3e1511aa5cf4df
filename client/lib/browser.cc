#include "browser.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>

#include <cstdlib>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace mcpcred {
namespace {

bool IsSet(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0';
}

}  // namespace

bool HasGraphicalSession() {
  return IsSet("DISPLAY") || IsSet("WAYLAND_DISPLAY");
}

bool IsBrowserUrl(const std::string& url) {
  return absl::StartsWithIgnoreCase(url, "https://") ||
         absl::StartsWithIgnoreCase(url, "http://");
}

absl::Status OpenInBrowser(const std::string& url) {
  if (!IsBrowserUrl(url)) {
    return absl::InvalidArgumentError("not an http(s) URL; open it yourself");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // xdg-open and browsers chatter on stdout, which may be --json output.
  for (int fd = 0; fd <= 2; ++fd) {
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null",
                                     fd == 0 ? O_RDONLY : O_WRONLY, 0);
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // The login blocks SIGINT to wait for it; the browser must not inherit that.
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);

  char program[] = "xdg-open";
  std::string url_copy = url;
  char* argv[] = {program, url_copy.data(), nullptr};
  pid_t pid = 0;
  int error = posix_spawnp(&pid, program, &actions, &attributes, argv, environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  // Not waited for: xdg-open may last as long as the browser does. It is
  // reaped by init once this short-lived CLI exits.
  if (error != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot run xdg-open: ", std::strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace mcpcred

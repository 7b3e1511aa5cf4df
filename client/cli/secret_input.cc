#include "secret_input.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::cli {
namespace {

// What a signal handler needs to give the terminal its echo back. Set only
// while the prompt is up.
struct termios g_saved_termios;
volatile sig_atomic_t g_echo_off = 0;

constexpr int kRestoreSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void RestoreTerminalAndDie(int sig) {
  if (g_echo_off) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    (void)!write(STDERR_FILENO, "\n", 1);
  }
  // SA_RESETHAND restored the default action: the signal now ends the
  // process with the status a shell expects (130 for Ctrl-C).
  raise(sig);
}

// Reads up to `limit` + 1 bytes, stopping after `stop` when it is not 0.
absl::StatusOr<SecretString> ReadFd(int fd, size_t limit, char stop) {
  SecretString data;
  char buffer[4096];
  // Reserved once (a reallocation would be wiped, but costs a copy).
  data.reserve(limit + sizeof(buffer) + 1);
  while (data.size() <= limit) {
    // A line at a time from a terminal: canonical mode returns per line.
    ssize_t n = read(fd, buffer, stop != 0 ? 1 : sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      explicit_bzero(buffer, sizeof(buffer));
      return absl::InternalError(
          absl::StrCat("cannot read stdin: ", strerror(errno)));
    }
    if (n == 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (stop != 0 && buffer[0] == stop) break;
  }
  explicit_bzero(buffer, sizeof(buffer));
  return data;
}

void StripOneNewline(SecretString& value) {
  if (value.view().ends_with('\n')) value.resize(value.size() - 1);
  if (value.view().ends_with('\r')) value.resize(value.size() - 1);
}

absl::StatusOr<SecretString> ReadFromTerminal(const std::string& prompt) {
  struct termios quiet;
  if (tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot set up the terminal: ", strerror(errno)));
  }
  quiet = g_saved_termios;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  struct sigaction restore = {};
  restore.sa_handler = RestoreTerminalAndDie;
  restore.sa_flags = SA_RESETHAND;
  struct sigaction previous[4];
  for (size_t i = 0; i < 4; ++i) {
    sigaction(kRestoreSignals[i], &restore, &previous[i]);
  }
  // Echo goes off before the prompt shows, as getpass() does: whatever is
  // typed once the prompt is visible must neither echo nor be flushed.
  // TCSAFLUSH drops only what was typed ahead, which the user saw echoed.
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  g_echo_off = 1;
  (void)!write(STDERR_FILENO, prompt.data(), prompt.size());
  absl::StatusOr<SecretString> line =
      ReadFd(STDIN_FILENO, kMaxSecretBytes, '\n');
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
  g_echo_off = 0;
  for (size_t i = 0; i < 4; ++i) {
    sigaction(kRestoreSignals[i], &previous[i], nullptr);
  }
  // The Enter key's newline was not echoed.
  (void)!write(STDERR_FILENO, "\n", 1);
  return line;
}

}  // namespace

bool StdinIsTerminal() { return isatty(STDIN_FILENO) == 1; }

absl::StatusOr<SecretString> ReadSecret(const std::string& prompt) {
  absl::StatusOr<SecretString> value =
      StdinIsTerminal() ? ReadFromTerminal(prompt)
                        : ReadFd(STDIN_FILENO, kMaxSecretBytes + 2, 0);
  if (!value.ok()) return value;
  StripOneNewline(*value);
  if (value->size() > kMaxSecretBytes) {
    return absl::InvalidArgumentError("the secret is larger than 64 KiB");
  }
  if (value->empty()) {
    return absl::InvalidArgumentError(
        "the secret is empty: pipe it on stdin or type it at the prompt");
  }
  return value;
}

}  // namespace mcpcred::cli

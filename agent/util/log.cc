#include "agent/util/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace mcpcred {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<bool> g_timestamps{true};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }
void SetLogTimestamps(bool enabled) { g_timestamps = enabled; }

void LogLine(LogLevel level, const std::string& message) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::string line;
  if (g_timestamps.load()) {
    line = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ ", absl::Now(),
                            absl::UTCTimeZone());
  }
  absl::StrAppend(&line, "mcpcred-agent[", getpid(), "] ", LevelName(level),
                  ": ", message, "\n");
  // One write() per line keeps lines whole when threads log at once.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace mcpcred

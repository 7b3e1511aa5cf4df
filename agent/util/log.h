// The agent's log: one line per event on stderr (journald adds its own
// timestamps under systemd). Messages must never contain a secret value.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_UTIL_LOG_H_
#define MCPCRED_AGENT_UTIL_LOG_H_

#include <string>

#include "absl/strings/str_cat.h"

namespace mcpcred {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Lines below `level` are dropped. Default kInfo.
void SetLogLevel(LogLevel level);
// Prefix each line with an ISO 8601 timestamp (off under systemd, which adds
// its own).
void SetLogTimestamps(bool enabled);

void LogLine(LogLevel level, const std::string& message);

template <typename... Args>
void LogInfo(const Args&... args) {
  LogLine(LogLevel::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  LogLine(LogLevel::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void LogError(const Args&... args) {
  LogLine(LogLevel::kError, absl::StrCat(args...));
}
template <typename... Args>
void LogDebug(const Args&... args) {
  LogLine(LogLevel::kDebug, absl::StrCat(args...));
}

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_LOG_H_

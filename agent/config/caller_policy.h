// Who may have a credential: the `allow`, `confirm` and `confirm_timeout`
// keys of a [credential.NAME] table, parsed and checked at load time.
//
//   allow = ["exec", "exec:/usr/bin/npx", "exe:/usr/bin/node",
//            "unit:app-vscode-*.scope", "cgroup:/user.slice/*.slice"]
//   confirm = true            ask the person before each new caller has it
//   confirm_timeout = "30s"   no answer within this long is a refusal
//
// Patterns are fnmatch(3) globs with FNM_PATHNAME: `*`, `?` and `[...]`
// never match a '/'.
//
// Thread-safety: plain values and pure functions.
#ifndef MCPCRED_AGENT_CONFIG_CALLER_POLICY_H_
#define MCPCRED_AGENT_CONFIG_CALLER_POLICY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mcpcred::config {

enum class CallerRuleKind {
  // "exec": the caller is the genuine mcpcred-exec (any command);
  // "exec:GLOB": and the command it says it will run matches GLOB.
  kExec,
  // "exe:GLOB": the caller's executable (/proc/PID/exe) matches GLOB.
  kExe,
  // "unit:GLOB": the caller's systemd unit (a .service or .scope) matches.
  kUnit,
  // "cgroup:GLOB": the caller's cgroup v2 path, or one of its ancestors,
  // matches GLOB.
  kCgroup,
};

struct CallerRule {
  CallerRuleKind kind = CallerRuleKind::kExe;
  std::string pattern;  // empty only for a bare "exec"
  std::string text;     // as written, for messages

  bool operator==(const CallerRule& other) const { return text == other.text; }
};

inline constexpr absl::Duration kDefaultConfirmTimeout = absl::Seconds(30);

struct CallerPolicy {
  // Absent: any caller of the agent's uid (the default). Present and empty:
  // no caller at all.
  std::optional<std::vector<CallerRule>> allow;
  bool confirm = false;
  absl::Duration confirm_timeout = kDefaultConfirmTimeout;

  // Whether a request for the credential needs anything checked.
  bool restricts() const { return allow.has_value() || confirm; }
  bool operator==(const CallerPolicy& other) const {
    return allow == other.allow && confirm == other.confirm &&
           confirm_timeout == other.confirm_timeout;
  }
};

// Parses one entry of `allow`. Returns INVALID_ARGUMENT with one line saying
// what is wrong and what to write: an unknown kind, an empty or relative
// path for exec:, exe: or cgroup:, a '/' in a unit, a NUL character.
absl::StatusOr<CallerRule> ParseCallerRule(absl::string_view text);

// Parses `confirm_timeout` ("30s", "2m", "500ms"): between 1 ms and 1 hour.
absl::StatusOr<absl::Duration> ParseConfirmTimeout(absl::string_view text);

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_CALLER_POLICY_H_

#include "agent/config/caller_policy.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::config {
namespace {

constexpr char kKinds[] =
    "\"exec\", \"exec:/PATH\", \"exe:/PATH\", \"unit:NAME\" or "
    "\"cgroup:/PATH\"";

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("allow rule \"", absl::CEscape(text), "\": ", why));
}

}  // namespace

absl::StatusOr<CallerRule> ParseCallerRule(absl::string_view text) {
  CallerRule rule;
  rule.text = std::string(text);
  if (absl::StrContains(text, '\0')) return Bad(text, "holds a NUL character");
  if (text == "exec") {
    rule.kind = CallerRuleKind::kExec;
    return rule;
  }
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos) {
    return Bad(text, absl::StrCat("expected ", kKinds));
  }
  const absl::string_view kind = text.substr(0, colon);
  rule.pattern = std::string(text.substr(colon + 1));
  if (kind == "exec") {
    rule.kind = CallerRuleKind::kExec;
  } else if (kind == "exe") {
    rule.kind = CallerRuleKind::kExe;
  } else if (kind == "unit") {
    rule.kind = CallerRuleKind::kUnit;
  } else if (kind == "cgroup") {
    rule.kind = CallerRuleKind::kCgroup;
  } else {
    return Bad(text, absl::StrCat("unknown kind \"", absl::CEscape(kind),
                                  "\"; expected ", kKinds));
  }
  if (rule.pattern.empty()) {
    return Bad(text, absl::StrCat("nothing after \"", kind, ":\""));
  }
  if (rule.kind == CallerRuleKind::kUnit) {
    if (absl::StrContains(rule.pattern, '/')) {
      return Bad(text,
                 "a unit is a name such as app-code-*.scope, not a path "
                 "(use cgroup: for paths)");
    }
  } else if (rule.pattern[0] != '/') {
    return Bad(text,
               absl::StrCat("the ", kind, " path must be absolute, e.g. \"",
                            kind, ":/usr/bin/node\""));
  }
  return rule;
}

absl::StatusOr<absl::Duration> ParseConfirmTimeout(absl::string_view text) {
  absl::Duration timeout;
  if (!absl::ParseDuration(text, &timeout) || timeout < absl::Milliseconds(1) ||
      timeout > absl::Hours(1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a duration between 1ms and 1h such as \"30s\", got \"",
        absl::CEscape(text), "\""));
  }
  return timeout;
}

}  // namespace mcpcred::config

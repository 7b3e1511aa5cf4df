#include "agent/policy/caller_rules.h"

#include <fnmatch.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mcpcred {
namespace {

bool Glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), FNM_PATHNAME) == 0;
}

// The pattern matches the path or a cgroup above it.
bool MatchesCgroupOrAncestor(const std::string& pattern, std::string path) {
  while (!path.empty()) {
    if (Glob(pattern, path)) return true;
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) break;
    path.resize(slash);
  }
  return Glob(pattern, "/");
}

}  // namespace

ExecBinary ExecBinary::At(const std::string& path) {
  ExecBinary exec;
  exec.path = path;
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    exec.dev = st.st_dev;
    exec.ino = st.st_ino;
    exec.found = true;
  }
  return exec;
}

ExecBinary ExecBinary::NextToSelf() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return ExecBinary();
  std::string dir(self, static_cast<size_t>(n));
  dir.resize(dir.rfind('/') + 1);
  return At(dir + "mcpcred-exec");
}

bool ExecBinary::Runs(const CallerIdentity& caller) const {
  return found && !caller.executable_deleted && caller.executable == path &&
         caller.executable_dev == dev && caller.executable_ino == ino;
}

bool RuleMatches(const config::CallerRule& rule, const CallerIdentity& caller,
                 const CallerClaim& claim, bool is_exec) {
  switch (rule.kind) {
    case config::CallerRuleKind::kExec:
      if (!is_exec) return false;
      return rule.pattern.empty() || (!claim.exec_command.empty() &&
                                      Glob(rule.pattern, claim.exec_command));
    case config::CallerRuleKind::kExe:
      return !caller.executable.empty() && !caller.executable_deleted &&
             Glob(rule.pattern, caller.executable);
    case config::CallerRuleKind::kUnit:
      return !caller.unit.empty() && Glob(rule.pattern, caller.unit);
    case config::CallerRuleKind::kCgroup:
      return !caller.cgroup.empty() &&
             MatchesCgroupOrAncestor(rule.pattern, caller.cgroup);
  }
  return false;
}

absl::Status CheckAllowed(const std::string& credential,
                          const std::vector<config::CallerRule>& allow,
                          const CallerIdentity& caller,
                          const CallerClaim& claim, const ExecBinary& exec) {
  const bool is_exec = exec.Runs(caller);
  for (const config::CallerRule& rule : allow) {
    if (RuleMatches(rule, caller, claim, is_exec)) return absl::OkStatus();
  }
  std::string who;
  std::string rule;
  if (is_exec && !claim.exec_command.empty()) {
    who = absl::StrCat("mcpcred-exec running ",
                       absl::CEscape(claim.exec_command));
    rule = absl::StrCat("exec:", claim.exec_command);
  } else if (is_exec) {
    who = "mcpcred-exec";
    rule = "exec";
  } else if (caller.executable.empty() || caller.executable_deleted) {
    return absl::PermissionDeniedError(absl::StrCat(
        "credential \"", credential, "\" is not allowed for ",
        DescribeCaller(caller),
        ": its executable cannot be checked; allow its unit or cgroup in "
        "[credential.",
        credential, "]"));
  } else {
    who = absl::CEscape(caller.executable);
    rule = absl::StrCat("exe:", caller.executable);
  }
  return absl::PermissionDeniedError(
      absl::StrCat("credential \"", credential, "\" is not allowed for ", who,
                   " (pid ", caller.pid, "): add \"", absl::CEscape(rule),
                   "\" to allow in [credential.", credential, "]"));
}

}  // namespace mcpcred

// Matches a caller against a credential's `allow` rules
// (config/caller_policy.h), and words the refusal: the rule a person would
// add to let this caller in.
//
// Thread-safety: pure functions.
#ifndef MCPCRED_AGENT_POLICY_CALLER_RULES_H_
#define MCPCRED_AGENT_POLICY_CALLER_RULES_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agent/config/caller_policy.h"
#include "agent/policy/caller_identity.h"

namespace mcpcred {

// The genuine mcpcred-exec: the file named `path` when the agent started
// (dev and inode), to compare callers' executables with.
struct ExecBinary {
  std::string path;
  dev_t dev = 0;
  ino_t ino = 0;
  bool found = false;

  // The mcpcred-exec next to the agent's own executable, which is where both
  // are built and installed. found is false when there is none.
  static ExecBinary NextToSelf();
  static ExecBinary At(const std::string& path);
  // Whether `caller` runs this very file.
  bool Runs(const CallerIdentity& caller) const;
};

// What a request says about its caller, beyond what the kernel says.
struct CallerClaim {
  // The command mcpcred-exec says it will run (GetCredentialRequest's
  // exec_command); trusted only when the caller is the genuine mcpcred-exec.
  std::string exec_command;
};

// Whether `rule` admits `caller`. `is_exec`: the caller is the genuine
// mcpcred-exec (ExecBinary::Runs).
bool RuleMatches(const config::CallerRule& rule, const CallerIdentity& caller,
                 const CallerClaim& claim, bool is_exec);

// OK if any rule of `allow` admits `caller`. Otherwise PERMISSION_DENIED:
// `credential "NAME" is not allowed for WHO: add "RULE" to allow in
// [credential.NAME]`, where RULE admits this caller (an exec: rule for
// mcpcred-exec, else exe:).
absl::Status CheckAllowed(const std::string& credential,
                          const std::vector<config::CallerRule>& allow,
                          const CallerIdentity& caller,
                          const CallerClaim& claim, const ExecBinary& exec);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_CALLER_RULES_H_

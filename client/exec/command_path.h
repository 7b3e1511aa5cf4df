// The absolute path of the program mcpcred-exec will run, as execvpe finds
// it: what it tells the agent for "exec:PATH" rules.
#ifndef MCPCRED_CLIENT_EXEC_COMMAND_PATH_H_
#define MCPCRED_CLIENT_EXEC_COMMAND_PATH_H_

#include <string>

namespace mcpcred::exec {

// `command` when it is an absolute path; the working directory joined with
// it when it holds a '/'; else the first executable file named `command` in
// `path_variable` (a $PATH value; empty entries are the working directory),
// made absolute. Symbolic links are kept: a rule names /usr/bin/npx, not
// the script it points to. "" when nothing is found.
std::string ResolveCommandPath(const std::string& command,
                               const std::string& path_variable);

}  // namespace mcpcred::exec

#endif  // MCPCRED_CLIENT_EXEC_COMMAND_PATH_H_

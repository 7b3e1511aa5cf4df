// mcpcred: the command line client of mcpcred-agent.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "commands.h"
#include "tool_util.h"

namespace mcpcred::cli {
namespace {

int Main(int argc, char** argv) {
  CLI::App app{"Talk to the mcpcred agent, the keeper of MCP credentials.",
               "mcpcred"};
  // Global options may follow the subcommand too: `mcpcred list --json`.
  app.fallthrough();
  // At most one here; "none" is reported after parsing, so that a mistyped
  // subcommand gets "not expected: lsit" rather than "subcommand required".
  app.require_subcommand(0, 1);

  GlobalOptions options;
  app.add_option("--socket", options.socket_path,
                 "Agent socket (default: $MCPCRED_SOCK, else "
                 "$XDG_RUNTIME_DIR/mcpcred/agent.sock)");
  app.add_flag("--json", options.json, "Print data as JSON");

  std::string name;
  int64_t min_ttl = 0;
  LoginOptions login;

  CLI::App* status = app.add_subcommand("status", "Show the agent's state");
  CLI::App* list = app.add_subcommand("list", "List the credentials");
  bool names_only = false;
  list->add_flag("--names", names_only,
                 "Print only the credential names, one a line (for scripts "
                 "and shell completion)");
  CLI::App* token = app.add_subcommand("token", "Print a credential's token");
  token->add_option("NAME", name, "Credential name")->required();
  token
      ->add_option("--min-ttl", min_ttl,
                   "Refresh first unless valid this many more seconds")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            return !value.empty() && value[0] != '-'
                       ? ""
                       : "must be a number of seconds >= 0";
          },
          "SECONDS", "NonNegativeSeconds"));
  CLI::App* env =
      app.add_subcommand("env", "Print a credential's env as KEY=VALUE");
  env->add_option("NAME", name, "Credential name")->required();
  CLI::App* headers =
      app.add_subcommand("headers", "Print a credential's HTTP headers");
  headers->add_option("NAME", name, "Credential name")->required();
  CLI::App* redact = app.add_subcommand(
      "redact", "Copy stdin to stdout with every secret value redacted");
  CLI::App* secret_keys = app.add_subcommand(
      "secret-keys", "Print the env keys and header names holding secrets");
  CLI::App* reload =
      app.add_subcommand("reload", "Make the agent re-read its config");
  CLI::App* login_cmd = app.add_subcommand("login", "Log in to a credential");
  login_cmd->add_option("NAME", login.name, "Credential name")->required();
  login_cmd->add_flag("--device", login.device,
                      "Use the device code flow (no browser on this machine)");
  login_cmd->add_flag("--no-browser", login.no_browser,
                      "Print the URL, do not open a browser");
  login_cmd->add_flag(
      "--paste", login.paste,
      "No browser here: print the URL, then read the address the browser "
      "ended on (pasted on stdin) and finish the login with it");
  login_cmd->add_option("--scope", login.scopes,
                        "A scope to ask for on top of the credential's own "
                        "(repeatable; a step-up)");
  CLI::App* logout =
      app.add_subcommand("logout", "Forget a credential's login");
  logout->add_option("NAME", name, "Credential name")->required();
  CLI::App* add = app.add_subcommand(
      "add",
      "Store a secret for `keyring:NAME`, read from stdin or a prompt that "
      "does not echo (never from the command line)");
  // Every positional is taken, so that CLI11's "not expected: <arg>" never
  // echoes a secret typed on the command line; main checks there is one.
  std::vector<std::string> add_args;
  add->add_option("NAME", add_args, "Secret name")->required();
  CLI::App* remove =
      app.add_subcommand("remove", "Delete a secret stored with `add`");
  remove->add_option("NAME", name, "Secret name")->required();
  CLI::App* lock = app.add_subcommand(
      "lock",
      "Lock the agent: it forgets every token and hands out nothing until "
      "unlocked (passphrase from stdin or a prompt, never an argument)");
  CLI::App* unlock = app.add_subcommand(
      "unlock", "Unlock the agent with the passphrase given to lock");

  ImportOptions import;
  CLI::App* import_cmd = app.add_subcommand(
      "import",
      "Move the literal secrets of MCP host configs (Claude Code, Claude "
      "Desktop, VS Code, Cursor, gptme, Zed) into the agent");
  import_cmd->add_flag("--dry-run", import.dry_run,
                       "Show the plan (values hidden); change nothing");
  import_cmd->add_flag("--yes,-y", import.yes, "Apply without asking");
  CLI::App* doctor = app.add_subcommand(
      "doctor", "Say what is wrong with this setup and how to fix it");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(error);  // --help
    }
    std::string line = ErrorLine("mcpcred", error.what());
    std::fputs(line.c_str(), stderr);
    std::fputs("Run 'mcpcred --help' for usage.\n", stderr);
    return kExitUsage;
  }

  if (app.get_subcommands().empty()) {
    std::fputs(
        "mcpcred: a subcommand is required\n"
        "Run 'mcpcred --help' for usage.\n",
        stderr);
    return kExitUsage;
  }
  if (*status) return RunStatus(options);
  if (*list) return RunList(options, names_only);
  if (*token) return RunToken(options, name, std::chrono::seconds(min_ttl));
  if (*env) return RunEnv(options, name);
  if (*headers) return RunHeaders(options, name);
  if (*redact) return RunRedact(options);
  if (*secret_keys) return RunSecretKeys(options);
  if (*reload) return RunReload(options);
  if (*login_cmd) return RunLogin(options, login);
  if (*logout) return RunLogout(options, name);
  if (*add && add_args.size() != 1) {
    std::fputs(
        "mcpcred: add takes the secret on stdin or at its prompt, never as an "
        "argument; nothing was stored or sent (remove the value from your "
        "shell history)\n",
        stderr);
    return kExitUsage;
  }
  if (*add) return RunAdd(options, add_args[0]);
  if (*remove) return RunRemove(options, name);
  if (*import_cmd) return RunImport(options, import);
  if (*doctor) return RunDoctor(options);
  if (*lock) return RunLock(options);
  if (*unlock) return RunUnlock(options);
  return kExitUsage;  // Unreachable: every subcommand is handled above.
}

}  // namespace
}  // namespace mcpcred::cli

int main(int argc, char** argv) { return mcpcred::cli::Main(argc, argv); }

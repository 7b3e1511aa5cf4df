# fish completion for mcpcred. Installed as
# share/fish/vendor_completions.d/mcpcred.fish. Credential names come from the
# running agent (__mcpcred_credentials.fish).
#
# Adding an option or subcommand is one `complete` line below;
# tests/packaging/completion_test.sh checks that every option and subcommand
# of `mcpcred --help` is here.

set -l subcommands status list token env headers redact secret-keys reload login logout add remove lock unlock import doctor
set -l named token env headers login logout add remove

complete -c mcpcred -f
complete -c mcpcred -l socket -r -F -d 'Agent socket'
complete -c mcpcred -l json -d 'Print data as JSON'
complete -c mcpcred -s h -l help -d 'Print help and exit'

complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a status -d "Show the agent's state"
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a list -d 'List the credentials'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a token -d "Print a credential's token"
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a env -d "Print a credential's env as KEY=VALUE"
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a headers -d "Print a credential's HTTP headers"
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a redact -d 'Copy stdin to stdout with every secret value redacted'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a secret-keys -d 'Print the env keys and header names holding secrets'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a reload -d 'Make the agent re-read its config'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a login -d 'Log in to a credential'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a logout -d "Forget a credential's login"
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a add -d 'Store a secret for keyring:NAME'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a remove -d 'Delete a secret stored with add'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a lock -d 'Lock the agent: it forgets every token until unlocked'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a unlock -d 'Unlock the agent with the passphrase given to lock'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a import -d 'Move the literal secrets of MCP host configs into the agent'
complete -c mcpcred -n "not __fish_seen_subcommand_from $subcommands" -a doctor -d 'Say what is wrong with this setup and how to fix it'

complete -c mcpcred -n "__fish_seen_subcommand_from $named" -a '(__mcpcred_credentials)' -d Credential
complete -c mcpcred -n '__fish_seen_subcommand_from list' -l names -d 'Print only the credential names'
complete -c mcpcred -n '__fish_seen_subcommand_from token' -l min-ttl -x -d 'Refresh first unless valid this many more seconds'
complete -c mcpcred -n '__fish_seen_subcommand_from login' -l device -d 'Use the device code flow'
complete -c mcpcred -n '__fish_seen_subcommand_from login' -l no-browser -d 'Print the URL, do not open a browser'
complete -c mcpcred -n '__fish_seen_subcommand_from login' -l paste -d 'Read the address the browser ended on from stdin'
complete -c mcpcred -n '__fish_seen_subcommand_from import' -l dry-run -d 'Show the plan, values hidden; change nothing'
complete -c mcpcred -n '__fish_seen_subcommand_from import' -s y -l yes -d 'Apply without asking'
complete -c mcpcred -n '__fish_seen_subcommand_from login' -l scope -x -d "A scope on top of the credential's own"

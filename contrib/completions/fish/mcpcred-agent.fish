# fish completion for mcpcred-agent. Installed as
# share/fish/vendor_completions.d/mcpcred-agent.fish.
# Adding an option is one `complete` line; tests/packaging/completion_test.sh
# checks that every option of `mcpcred-agent --help` is here.
complete -c mcpcred-agent -f
complete -c mcpcred-agent -s D -l foreground -d 'Stay in the foreground'
complete -c mcpcred-agent -s s -d 'Fork and print Bourne shell commands'
complete -c mcpcred-agent -s c -d 'Fork and print csh commands'
complete -c mcpcred-agent -s k -d 'Stop the agent named by $MCPCRED_SOCK'
complete -c mcpcred-agent -l check -d 'Validate the config and exit'
complete -c mcpcred-agent -l config -r -F -d 'Config file'
complete -c mcpcred-agent -l socket -r -F -d 'Socket path'
complete -c mcpcred-agent -s d -l debug -d 'Log debug lines'
complete -c mcpcred-agent -l fetch-timeout -x -d 'Seconds a provider may take'
complete -c mcpcred-agent -s t -x -d 'Forget each token this long after obtaining it (8h, 30m, 3600)'
complete -c mcpcred-agent -l extra-socket -r -F -d 'Also listen on this restricted socket, for forwarding'
complete -c mcpcred-agent -l version -d 'Print the version and exit'
complete -c mcpcred-agent -s h -l help -d 'Print help and exit'

# fish completion for mcpcred-exec. Installed as
# share/fish/vendor_completions.d/mcpcred-exec.fish.
# Adding an option is one `complete` line; tests/packaging/completion_test.sh
# checks that every option of `mcpcred-exec --help` is here.

# True once `--` is on the command line: what follows is COMMAND [ARG...].
function __mcpcred_exec_after_separator
    contains -- -- (commandline -opc)
end

set -l before 'not __mcpcred_exec_after_separator'
complete -c mcpcred-exec -n $before -f
complete -c mcpcred-exec -n $before -a '(__mcpcred_credentials)' -d Credential
complete -c mcpcred-exec -n $before -a -- -d 'Then COMMAND [ARG...]'
complete -c mcpcred-exec -n $before -l socket -r -F -d 'Agent socket'
complete -c mcpcred-exec -n $before -l min-ttl -x -d 'Seconds tokens must stay valid'
complete -c mcpcred-exec -n $before -l relay -d 'Relay even when no credential expires'
complete -c mcpcred-exec -n $before -l no-mask -d "Pass the server's output on unmasked"
complete -c mcpcred-exec -n $before -l drain-timeout -x -d 'Seconds requests on a replaced server may take'
complete -c mcpcred-exec -n $before -l start-timeout -x -d 'Seconds a new server may take to initialize'
complete -c mcpcred-exec -n $before -l on-rotate -x -a 'restart none signal:HUP signal:USR1 signal:USR2 signal:TERM' -d 'What a rotation does'
complete -c mcpcred-exec -n $before -l pass-socket -d 'Give COMMAND the agent socket'
complete -c mcpcred-exec -n $before -s h -l help -d 'Print help and exit'
complete -c mcpcred-exec -n __mcpcred_exec_after_separator -x -a '(__fish_complete_subcommand -- --)'

# fish completion for mcpcred-remote. Installed as
# share/fish/vendor_completions.d/mcpcred-remote.fish.
# Adding an option is one `complete` line; tests/packaging/completion_test.sh
# checks that every option of `mcpcred-remote --help` is here.

# True until NAME is on the command line (then comes the URL).
function __mcpcred_remote_needs_name
    set -l skip 0
    for word in (commandline -opc)[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $word
            case --socket
                set skip 1 # its value follows
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

complete -c mcpcred-remote -f
complete -c mcpcred-remote -n __mcpcred_remote_needs_name -a '(__mcpcred_credentials)' -d Credential
complete -c mcpcred-remote -l socket -r -F -d 'Agent socket'
complete -c mcpcred-remote -l open -d 'Open the browser for step-up logins'
complete -c mcpcred-remote -s h -l help -d 'Print help and exit'

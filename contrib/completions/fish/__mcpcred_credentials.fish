# The running agent's credential names, for the completions of mcpcred,
# mcpcred-exec and mcpcred-remote: `mcpcred list --names`, asked at the
# --socket of the command line being completed. Installed in
# share/fish/vendor_functions.d, where fish autoloads it.
function __mcpcred_credentials
    set -l words (commandline -opc)
    set -l args
    for i in (seq (count $words))
        switch $words[$i]
            case '--socket=*'
                set args --socket (string replace -- --socket= '' $words[$i])
            case --socket
                set args --socket $words[(math $i + 1)]
            case --
                break
        end
    end
    mcpcred $args list --names 2>/dev/null
end

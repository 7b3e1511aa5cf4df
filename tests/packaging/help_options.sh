# Sourced by the packaging tests: what each program's --help says it takes.
# Needs $bin_dir (where mcpcred, mcpcred-agent, mcpcred-exec and
# mcpcred-remote are).

# The subcommands `mcpcred --help` lists.
mcpcred_subcommands() {
  "$bin_dir/mcpcred" --help | awk '/^Subcommands:/ { on = 1; next } on && NF { print $1 }'
}

# The long options PROGRAM's --help names (for mcpcred, with those of every
# subcommand), one a line, sorted.
long_options() {
  local program=$1
  {
    "$bin_dir/$program" --help 2>&1
    if [[ $program == mcpcred ]]; then
      local sub
      for sub in $(mcpcred_subcommands); do
        "$bin_dir/mcpcred" "$sub" --help 2>&1
      done
    fi
  } | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

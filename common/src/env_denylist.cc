#include "mcpcred/common/env_denylist.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"

namespace mcpcred {
namespace {

// Whole names. No entry holds a secret: a credential never needs one of them.
constexpr absl::string_view kDeniedKeys[] = {
    // Where programs are found and how POSIX shells start and parse: a server
    // started by a shell script would run whatever these point at.
    "PATH", "IFS", "ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4",
    "PROMPT_COMMAND", "CDPATH", "ZDOTDIR",
    // The rest of what glibc strips for setuid programs (unsecvars.h) because
    // it steers a program from outside: gconv modules and locale data are
    // loaded code, GLIBC_TUNABLES has had loader exploits, the resolver ones
    // redirect name lookups, MALLOC_TRACE writes a file.
    "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN",
    "LOCPATH", "MALLOC_TRACE", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF",
    "RES_OPTIONS", "TMPDIR", "TZDIR",
    // Interpreters: each of these imports or runs code at startup (or on
    // breakpoint(), a warning filter, ...). MCP servers are mostly Python,
    // Node and JVM programs. Not NODE_* as a whole: NODE_AUTH_TOKEN is a real
    // npm token.
    "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE",
    "PYTHONEXECUTABLE", "PYTHONWARNINGS", "PYTHONBREAKPOINT", "PYTHONINSPECT",
    "PYTHONPLATLIBDIR", "PYTHONPYCACHEPREFIX", "PYTHON_PRESITE", "NODE_OPTIONS",
    "NODE_PATH", "PERL5LIB", "PERLLIB", "PERL5OPT", "PERL5DB", "RUBYLIB",
    "RUBYOPT", "RUBYPATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS", "CLASSPATH",
    // Commands that tools run on their own: git and ssh helpers, editors,
    // pagers, less's input filter, OpenSSL's engine and provider modules.
    "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_EXEC_PATH",
    "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_EDITOR", "GIT_PAGER",
    "GIT_TEMPLATE_DIR", "EDITOR", "VISUAL", "PAGER", "BROWSER", "LESSOPEN",
    "LESSCLOSE", "OPENSSL_CONF", "OPENSSL_ENGINES", "OPENSSL_MODULES",
    // Whom TLS trusts: a replaced CA or disabled verification would let a
    // third party read what the server sends, its credential included.
    "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "GIT_SSL_NO_VERIFY",
    "GIT_SSL_CAINFO", "GIT_SSL_CAPATH",
    // Where configuration (and so hooks, aliases, helpers) is read from.
    "HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS"};

// Families, matched as prefixes.
constexpr absl::string_view kDeniedPrefixes[] = {
    // Every dynamic loader knob (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, ...),
    // and macOS's.
    "LD_", "DYLD_",
    // Exported bash functions: they replace commands of that name.
    "BASH_FUNC_",
    // git configuration from the environment (GIT_CONFIG_COUNT/KEY_n/VALUE_n,
    // GIT_CONFIG_PARAMETERS, GIT_CONFIG_GLOBAL, ...): core.sshCommand,
    // core.fsmonitor and friends run commands.
    "GIT_CONFIG",
    // Lua's startup code and module paths, with their _5_x variants.
    "LUA_INIT", "LUA_PATH", "LUA_CPATH",
    // mcpcred's own: a credential must not point a nested mcpcred at another
    // agent (MCPCRED_SOCK) or rewrite MCPCRED_SECRET_KEYS.
    "MCPCRED_"};

// Not denied, on purpose: proxy variables (HTTPS_PROXY, ...), because a proxy
// URL with a password in it is a credential; package managers' settings
// (registries, indexes), which are too many to list and are read from files
// as much as from the environment. The list cannot be complete; it covers
// what makes a program load or run code it was not asked to.

}  // namespace

bool IsDeniedEnvKey(absl::string_view key) {
  return std::any_of(std::begin(kDeniedKeys), std::end(kDeniedKeys),
                     [key](absl::string_view denied) {
                       return absl::EqualsIgnoreCase(key, denied);
                     }) ||
         std::any_of(std::begin(kDeniedPrefixes), std::end(kDeniedPrefixes),
                     [key](absl::string_view prefix) {
                       return absl::StartsWithIgnoreCase(key, prefix);
                     });
}

}  // namespace mcpcred

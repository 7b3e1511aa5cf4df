// IsDeniedEnvKey: what a credential may never set, and what it still may.
#include "mcpcred/common/env_denylist.h"

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(EnvDenylistTest, KeysThatChangeHowProgramsLoadOrRunAreDenied) {
  for (const char* key : {"LD_PRELOAD",
                          "LD_LIBRARY_PATH",
                          "LD_AUDIT",
                          "DYLD_INSERT_LIBRARIES",
                          "PATH",
                          "IFS",
                          "ENV",
                          "BASH_ENV",
                          "BASH_FUNC_ls%%",
                          "GCONV_PATH",
                          "GLIBC_TUNABLES",
                          "HOSTALIASES",
                          "LOCPATH",
                          "PYTHONPATH",
                          "PYTHONHOME",
                          "PYTHONSTARTUP",
                          "NODE_OPTIONS",
                          "NODE_PATH",
                          "PERL5LIB",
                          "PERL5OPT",
                          "RUBYLIB",
                          "RUBYOPT",
                          "JAVA_TOOL_OPTIONS",
                          "_JAVA_OPTIONS",
                          "GIT_SSH_COMMAND",
                          "GIT_CONFIG_COUNT",
                          "GIT_CONFIG_KEY_0",
                          "OPENSSL_CONF",
                          "NODE_TLS_REJECT_UNAUTHORIZED",
                          "SSL_CERT_FILE",
                          "LUA_INIT_5_4",
                          "HOME",
                          "MCPCRED_SOCK",
                          "MCPCRED_SECRET_KEYS"}) {
    EXPECT_TRUE(IsDeniedEnvKey(key)) << key;
  }
}

TEST(EnvDenylistTest, CaseDoesNotGetAKeyThrough) {
  for (const char* key : {"ld_preload", "Path", "PythonPath", "node_options",
                          "Git_Config_Count"}) {
    EXPECT_TRUE(IsDeniedEnvKey(key)) << key;
  }
}

TEST(EnvDenylistTest, CredentialKeysPass) {
  // Including names that merely start like a denied one.
  for (const char* key :
       {"GITHUB_TOKEN", "OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY",
        "NODE_AUTH_TOKEN", "PYTHONANYWHERE_API_TOKEN", "LDAP_PASSWORD",
        "PATH_TOKEN", "HOMEBREW_GITHUB_API_TOKEN", "ENVIRONMENT", "GIT_TOKEN",
        "HTTPS_PROXY", "LINEAR_API_KEY"}) {
    EXPECT_FALSE(IsDeniedEnvKey(key)) << key;
  }
}

}  // namespace
}  // namespace mcpcred

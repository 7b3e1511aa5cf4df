// Read-only subcommands: status, list, token, env, headers, secret-keys.
#include <memory>

#include "absl/time/clock.h"
#include "commands.h"
#include "mcpcred/client.h"
#include "output.h"
#include "tool_util.h"

namespace mcpcred::cli {

int RunStatus(const GlobalOptions& options) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<v1::AgentStatus> status = (*client)->GetStatus();
  if (!status.ok()) return Fail(status.status());
  Print(options.json ? DumpJson(StatusJson(*status)) : FormatStatus(*status));
  return kExitOk;
}

int RunList(const GlobalOptions& options, bool names_only) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<v1::ListCredentialsResponse> list =
      (*client)->ListCredentials();
  if (!list.ok()) return Fail(list.status());
  if (names_only) {
    Print(FormatCredentialNames(*list));
    return kExitOk;
  }
  Print(options.json ? DumpJson(CredentialListJson(*list))
                     : FormatCredentialList(*list, absl::Now()));
  return kExitOk;
}

namespace {

absl::StatusOr<v1::Credential> FetchCredential(const GlobalOptions& options,
                                               const std::string& name,
                                               std::chrono::seconds min_ttl) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return client.status();
  return (*client)->GetCredential(name, min_ttl);
}

}  // namespace

int RunToken(const GlobalOptions& options, const std::string& name,
             std::chrono::seconds min_ttl) {
  absl::StatusOr<v1::Credential> credential =
      FetchCredential(options, name, min_ttl);
  if (!credential.ok()) return Fail(credential.status());
  // An empty line would pass for a token in `$(mcpcred token x)`. Not
  // FAILED_PRECONDITION: that exit code means "log in", which would not help.
  if (credential->token().empty()) {
    return Fail(absl::InvalidArgumentError(
        "credential \"" + name + "\" has no token; try 'mcpcred env " + name +
        "' or 'mcpcred headers " + name + "'"));
  }
  Print(options.json ? DumpJson(TokenJson(*credential))
                     : FormatToken(*credential));
  return kExitOk;
}

int RunEnv(const GlobalOptions& options, const std::string& name) {
  absl::StatusOr<v1::Credential> credential =
      FetchCredential(options, name, std::chrono::seconds(0));
  if (!credential.ok()) return Fail(credential.status());
  Print(options.json ? DumpJson(EnvJson(*credential)) : FormatEnv(*credential));
  return kExitOk;
}

int RunHeaders(const GlobalOptions& options, const std::string& name) {
  absl::StatusOr<v1::Credential> credential =
      FetchCredential(options, name, std::chrono::seconds(0));
  if (!credential.ok()) return Fail(credential.status());
  Print(options.json ? DumpJson(HeadersJson(*credential))
                     : FormatHeaders(*credential));
  return kExitOk;
}

int RunSecretKeys(const GlobalOptions& options) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<v1::GetSecretKeysResponse> keys = (*client)->GetSecretKeys();
  if (!keys.ok()) return Fail(keys.status());
  Print(options.json ? DumpJson(SecretKeysJson(*keys))
                     : FormatSecretKeys(*keys));
  return kExitOk;
}

}  // namespace mcpcred::cli

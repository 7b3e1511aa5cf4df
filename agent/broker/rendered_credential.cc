#include "agent/broker/rendered_credential.h"

#include <atomic>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcpcred {
namespace {

std::atomic<uint64_t> last_version{0};

absl::Status RenderAll(const std::string& credential, const char* what,
                       const std::map<std::string, config::Template>& templates,
                       const std::map<std::string, SecretString>& variables,
                       std::map<std::string, SecretString>* out) {
  for (const auto& [key, tmpl] : templates) {
    absl::StatusOr<SecretString> value = tmpl.Render(variables);
    if (!value.ok()) {
      return absl::InternalError(absl::StrCat("credential \"", credential,
                                              "\": ", what, " ", key, ": ",
                                              value.status().message()));
    }
    if (value->view().find_first_of(std::string_view("\0\r\n", 3)) !=
        std::string_view::npos) {
      return absl::InternalError(
          absl::StrCat("credential \"", credential, "\": ", what, " ", key,
                       ": the provider's value contains a line break or NUL"));
    }
    (*out)[key] = *std::move(value);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RenderedCredential> RenderCredential(
    const config::CredentialConfig& config, FetchedToken token) {
  RenderedCredential rendered;
  rendered.name = config.name;
  absl::Status status =
      RenderAll(config.name, "env", config.env, token.variables, &rendered.env);
  if (!status.ok()) return status;
  status = RenderAll(config.name, "header", config.headers, token.variables,
                     &rendered.headers);
  if (!status.ok()) return status;
  for (const auto& [key, value] : rendered.env) {
    rendered.secret_env_keys.push_back(key);
  }
  for (const auto& [name, value] : rendered.headers) {
    rendered.secret_header_names.push_back(name);
  }
  rendered.token = std::move(token.token);
  rendered.expires_at = token.expires_at;
  rendered.version = last_version.fetch_add(1, std::memory_order_relaxed) + 1;
  for (auto& [name, value] : token.variables) {
    rendered.secret_values.push_back(std::move(value));
  }
  return rendered;
}

}  // namespace mcpcred

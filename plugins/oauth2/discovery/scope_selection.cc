#include "plugins/oauth2/discovery/scope_selection.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace mcpcred::oauth2 {
namespace {

void AddEach(std::vector<std::string>* out,
             const std::vector<std::string>& scopes) {
  for (const std::string& scope : scopes) {
    if (scope.empty()) continue;
    if (std::find(out->begin(), out->end(), scope) == out->end()) {
      out->push_back(scope);
    }
  }
}

std::vector<std::string> Split(std::string_view scope) {
  return absl::StrSplit(absl::string_view(scope.data(), scope.size()), ' ',
                        absl::SkipEmpty());
}

}  // namespace

std::string SelectScopes(const ScopeInputs& inputs) {
  std::vector<std::string> scopes;
  if (!Split(inputs.challenge_scope).empty()) {
    AddEach(&scopes, Split(inputs.challenge_scope));
  } else {
    AddEach(&scopes, inputs.resource_supported);
  }
  AddEach(&scopes, inputs.configured);
  const auto& server = inputs.server_supported;
  if (inputs.want_refresh_token &&
      std::find(server.begin(), server.end(), "offline_access") !=
          server.end()) {
    AddEach(&scopes, {"offline_access"});
  }
  return absl::StrJoin(scopes, " ");
}

std::string UnionScopes(std::string_view scope,
                        const std::vector<std::string>& more) {
  std::vector<std::string> scopes;
  AddEach(&scopes, Split(scope));
  AddEach(&scopes, more);
  return absl::StrJoin(scopes, " ");
}

}  // namespace mcpcred::oauth2

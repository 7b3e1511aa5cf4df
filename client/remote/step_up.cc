#include "step_up.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "browser.h"
#include "diagnostics.h"

namespace mcpcred::remote {
namespace {

// True once LoginRequest has `repeated string scopes` (proto field to come).
template <typename Request>
constexpr bool kHasScopes = requires(Request request) {
  request.add_scopes(std::string());
};

// A template, so that the branch for a proto without the field is never
// compiled.
template <typename Request>
void AddScopes(const std::vector<std::string>& scopes, Request* request) {
  if constexpr (kHasScopes<Request>) {
    for (const std::string& scope : scopes) request->add_scopes(scope);
  }
}

}  // namespace

bool AgentReauthorizer::SendsScopes() { return kHasScopes<v1::LoginRequest>; }

v1::LoginRequest StepUpLoginRequest(const std::string& name,
                                    const std::vector<std::string>& scopes) {
  v1::LoginRequest request;
  request.set_name(name);
  AddScopes(scopes, &request);
  return request;
}

absl::Status AgentReauthorizer::Reauthorize(
    const std::vector<std::string>& scopes) {
  Say(absl::StrCat("the server asks for scope \"", absl::StrJoin(scopes, " "),
                   "\": re-authorizing ", name_,
                   SendsScopes() ? "" : " (this agent cannot add scopes yet)"));
  return client_->Login(
      StepUpLoginRequest(name_, scopes), [this](const v1::LoginEvent& event) {
        if (event.has_open_url()) {
          Say(absl::StrCat("to authorize ", name_, ", open ",
                           event.open_url().url()));
          if (open_browser_) {
            absl::Status opened = OpenInBrowser(event.open_url().url());
            if (!opened.ok()) Say(opened.message());
          }
        } else if (event.has_device_code()) {
          const v1::LoginEvent::DeviceCode& code = event.device_code();
          Say(absl::StrCat("to authorize ", name_, ", visit ",
                           code.verification_uri(), " and enter ",
                           code.user_code()));
        } else if (event.has_done()) {
          Say(absl::StrCat(name_, " re-authorized"));
        }
      });
}

}  // namespace mcpcred::remote

#include "failures.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "diagnostics.h"
#include "nlohmann/json.hpp"
#include "www_authenticate.h"

namespace mcpcred::remote {
namespace {

std::string What(const HostMessage& message) {
  if (!message.method.empty()) return absl::StrCat("\"", message.method, "\"");
  return "a response";
}

}  // namespace

void ReportFailure(HostOutput* host, const HostMessage& message,
                   const absl::Status& status) {
  bool login = status.code() == absl::StatusCode::kFailedPrecondition;
  std::string text = login ? std::string(status.message())
                           : absl::StrCat("cannot relay ", What(message), ": ",
                                          status.message());
  Say(text);
  if (message.is_request()) {
    host->SendError(message.id, login ? kErrorLoginRequired : kErrorUpstream,
                    text);
  }
}

std::string DescribeHttpError(const HttpResponse& response) {
  std::string text = absl::StrCat("HTTP ", response.status);
  std::optional<BearerChallenge> challenge =
      ParseBearerChallenge(response.Headers("www-authenticate"));
  if (challenge.has_value() && !challenge->error.empty()) {
    absl::StrAppend(&text, " (", challenge->error);
    if (!challenge->scopes.empty()) {
      absl::StrAppend(&text, ", scope \"",
                      absl::StrJoin(challenge->scopes, " "), "\"");
    }
    absl::StrAppend(&text, ")");
  }
  return text;
}

void ReportHttpError(HostOutput* host, const HostMessage& message,
                     const HttpResponse& response) {
  // The challenge's parameters come from the server: masked like its body.
  std::string text =
      host->Masked(absl::StrCat("the server answered ", What(message), " with ",
                                DescribeHttpError(response)));
  Say(text);
  if (!message.is_request()) return;
  nlohmann::json body =
      nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.value("jsonrpc", "") == "2.0" &&
      body.contains("error") && body["error"].is_object()) {
    body["id"] = message.id;
    host->Send(
        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  host->SendError(message.id, kErrorUpstream, text);
}

}  // namespace mcpcred::remote

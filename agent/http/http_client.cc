#include "agent/http/http_client.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/http/http_module.h"
#include "agent/util/internal_module.h"

namespace mcpcred {

absl::StatusOr<HttpResponse> PerformHttp(const HttpRequest& request) {
  absl::StatusOr<const HttpModule*> module = LoadInternalModule<HttpModule>();
  if (!module.ok()) {
    return absl::UnavailableError(absl::StrCat(
        UrlForMessages(request.url), ": ", module.status().message()));
  }
  return (*module)->perform(request);
}

}  // namespace mcpcred

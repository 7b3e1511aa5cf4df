#include "url_util.h"

#include <curl/curl.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"

namespace mcpcred::remote {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using Url = std::unique_ptr<CURLU, UrlDeleter>;

std::string Part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK) return "";
  std::string copy = value;
  curl_free(value);
  return copy;
}

std::string Origin(CURLU* url) {
  return absl::AsciiStrToLower(Part(url, CURLUPART_SCHEME)) + "://" +
         absl::AsciiStrToLower(Part(url, CURLUPART_HOST)) + ":" +
         Part(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

}  // namespace

absl::Status CheckServerUrl(const std::string& url) {
  Url parsed(curl_url());
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError("URL does not parse");
  }
  std::string scheme =
      absl::AsciiStrToLower(Part(parsed.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError("URL must be http:// or https://");
  }
  if (Part(parsed.get(), CURLUPART_HOST).empty()) {
    return absl::InvalidArgumentError("URL has no host");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ResolveSameOrigin(const std::string& base,
                                              const std::string& reference) {
  Url url(curl_url());
  if (curl_url_set(url.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError("the server URL does not parse");
  }
  std::string origin = Origin(url.get());
  // Setting a relative URL on a handle that holds one resolves it.
  if (curl_url_set(url.get(), CURLUPART_URL, reference.c_str(), 0) !=
      CURLUE_OK) {
    return absl::InvalidArgumentError("the endpoint URL does not parse");
  }
  if (Origin(url.get()) != origin) {
    return absl::InvalidArgumentError(
        "the endpoint is on another origin than the server URL");
  }
  return Part(url.get(), CURLUPART_URL);
}

}  // namespace mcpcred::remote

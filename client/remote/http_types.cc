#include "http_types.h"

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace mcpcred::remote {

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

std::vector<std::string> HttpResponse::Headers(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (key == name) values.push_back(value);
  }
  return values;
}

std::string HttpResponse::MediaType() const {
  std::string type = Header("content-type");
  size_t semicolon = type.find(';');
  if (semicolon != std::string::npos) type.resize(semicolon);
  return absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(absl::string_view(type)));
}

}  // namespace mcpcred::remote

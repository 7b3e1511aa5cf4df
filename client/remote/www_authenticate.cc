#include "www_authenticate.h"

#include <cstddef>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace mcpcred::remote {
namespace {

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~/=:").find(c) !=
             std::string_view::npos;
}

// A cursor over one header value.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool done() {
    SkipSpace();
    return at_ >= text_.size();
  }
  bool Take(char c) {
    SkipSpace();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  // A token (may be empty); `=` is left out so that name=value splits.
  std::string Token() {
    SkipSpace();
    size_t from = at_;
    while (at_ < text_.size() && IsTokenChar(text_[at_]) && text_[at_] != '=') {
      ++at_;
    }
    return std::string(text_.substr(from, at_ - from));
  }
  // A value: a quoted string (escapes undone) or a token (token68 `=`
  // padding included).
  std::string Value() {
    SkipSpace();
    if (at_ < text_.size() && text_[at_] == '"') {
      std::string value;
      for (++at_; at_ < text_.size() && text_[at_] != '"'; ++at_) {
        if (text_[at_] == '\\' && at_ + 1 < text_.size()) ++at_;
        value.push_back(text_[at_]);
      }
      if (at_ < text_.size()) ++at_;  // the closing quote
      return value;
    }
    size_t from = at_;
    while (at_ < text_.size() && IsTokenChar(text_[at_])) ++at_;
    return std::string(text_.substr(from, at_ - from));
  }
  // Whether `name=` follows (an auth-param) rather than a new scheme.
  bool ParamFollows() {
    size_t saved = at_;
    std::string name = Token();
    bool param = !name.empty() && Take('=');
    at_ = saved;
    return param;
  }

 private:
  void SkipSpace() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t')) {
      ++at_;
    }
  }

  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

std::optional<BearerChallenge> ParseBearerChallenge(
    const std::vector<std::string>& headers) {
  for (const std::string& header : headers) {
    Reader reader(header);
    while (!reader.done()) {
      if (reader.Take(',')) continue;
      std::string scheme = reader.Token();
      if (scheme.empty()) break;  // not a challenge: give up on this header
      bool bearer = absl::EqualsIgnoreCase(scheme, "bearer");
      BearerChallenge challenge;
      // Auth-params (or a token68) up to the next scheme.
      bool first = true;
      while (!reader.done()) {
        if (reader.Take(',')) {
          first = false;
          continue;
        }
        if (!reader.ParamFollows()) {
          if (!first) break;  // the next challenge's scheme
          reader.Value();     // a token68 right after the scheme
          first = false;
          continue;
        }
        first = false;
        std::string name = absl::AsciiStrToLower(reader.Token());
        reader.Take('=');
        std::string value = reader.Value();
        if (name == "error") {
          challenge.error = value;
        } else if (name == "error_description") {
          challenge.error_description = value;
        } else if (name == "scope") {
          challenge.scopes = absl::StrSplit(value, ' ', absl::SkipWhitespace());
        } else if (name == "resource_metadata") {
          challenge.resource_metadata = value;
        }
      }
      if (bearer) return challenge;
    }
  }
  return std::nullopt;
}

bool IsScopeChallenge(const BearerChallenge& challenge) {
  return challenge.error == "insufficient_scope" && !challenge.scopes.empty();
}

}  // namespace mcpcred::remote

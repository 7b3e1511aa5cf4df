#include "plugins/oauth2/discovery/www_authenticate.h"

#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"

namespace mcpcred::oauth2 {
namespace {

bool IsTchar(char c) {
  return c != '\0' && (absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                       std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

bool IsToken68Char(char c) {
  return c != '\0' && (absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                       std::strchr("-._~+/", c) != nullptr);
}

// OWS is SP and HTAB; CR and LF are taken as well, so that a folded or
// joined multi-line value still parses.
bool IsWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string Lower(std::string_view text) {
  return absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
}

// A cursor over the header; every step either consumes input or returns, so
// no input makes it loop.
class Parser {
 public:
  explicit Parser(std::string_view header) : text_(header) {}

  std::vector<Challenge> Run() {
    std::vector<Challenge> challenges;
    while (true) {
      SkipWhitespaceAndCommas();
      if (AtEnd()) break;
      // "Bearer realm=x, scope=y": a list element shaped like a parameter
      // belongs to the challenge before it.
      if (LooksLikeParam()) {
        if (!challenges.empty() && challenges.back().token68.empty()) {
          ParseParam(&challenges.back());
        } else {
          SkipElement();
        }
        continue;
      }
      std::string_view scheme = ReadToken();
      if (scheme.empty() ||
          (!AtEnd() && !IsWhitespace(Peek()) && Peek() != ',')) {
        SkipElement();
        continue;
      }
      Challenge challenge;
      challenge.scheme = Lower(scheme);
      SkipWhitespace();
      if (!AtEnd() && Peek() != ',' && !TryToken68(&challenge.token68)) {
        ParseParam(&challenge);
      }
      challenges.push_back(std::move(challenge));
    }
    return challenges;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd() && IsWhitespace(Peek())) ++pos_;
  }

  void SkipWhitespaceAndCommas() {
    while (!AtEnd() && (IsWhitespace(Peek()) || Peek() == ',')) ++pos_;
  }

  std::string_view ReadToken() {
    size_t start = pos_;
    while (!AtEnd() && IsTchar(Peek())) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // Error recovery: skips to the next comma outside a quoted string.
  void SkipElement() {
    while (!AtEnd() && Peek() != ',') {
      if (Peek() == '"') {
        std::string ignored;
        ReadQuoted(&ignored);
      } else {
        ++pos_;
      }
    }
  }

  // token BWS "=" ahead, without consuming anything.
  bool LooksLikeParam() const {
    size_t p = pos_;
    while (p < text_.size() && IsTchar(text_[p])) ++p;
    if (p == pos_) return false;
    while (p < text_.size() && IsWhitespace(text_[p])) ++p;
    return p < text_.size() && text_[p] == '=';
  }

  // token68 when it is the whole rest of the challenge: followed only by
  // whitespace, then a comma or the end.
  bool TryToken68(std::string* out) {
    size_t p = pos_;
    while (p < text_.size() && IsToken68Char(text_[p])) ++p;
    if (p == pos_) return false;
    while (p < text_.size() && text_[p] == '=') ++p;
    size_t end = p;
    while (p < text_.size() && IsWhitespace(text_[p])) ++p;
    if (p < text_.size() && text_[p] != ',') return false;
    *out = std::string(text_.substr(pos_, end - pos_));
    pos_ = p;
    return true;
  }

  // At the opening quote. False if the string is unterminated (then the
  // whole rest of the input has been consumed).
  bool ReadQuoted(std::string* out) {
    ++pos_;
    while (!AtEnd()) {
      char c = Peek();
      ++pos_;
      if (c == '"') return true;
      if (c == '\\') {
        if (AtEnd()) return false;
        c = Peek();
        ++pos_;
      }
      out->push_back(c);
    }
    return false;
  }

  bool ReadValue(std::string* out) {
    if (!AtEnd() && Peek() == '"') return ReadQuoted(out);
    size_t start = pos_;
    while (!AtEnd() && !IsWhitespace(Peek()) && Peek() != ',' &&
           Peek() != '"') {
      ++pos_;
    }
    *out = std::string(text_.substr(start, pos_ - start));
    return !out->empty();
  }

  // One auth-param at the cursor; on a malformed one, skips its element.
  void ParseParam(Challenge* challenge) {
    std::string_view name = ReadToken();
    SkipWhitespace();
    if (name.empty() || AtEnd() || Peek() != '=') {
      SkipElement();
      return;
    }
    ++pos_;
    SkipWhitespace();
    std::string value;
    if (!ReadValue(&value)) {
      SkipElement();
      return;
    }
    challenge->params.emplace(Lower(name), std::move(value));
    SkipElement();  // anything after the value up to the comma is junk
  }

  std::string_view text_;
  size_t pos_ = 0;
};

std::string ParamOrEmpty(const Challenge& challenge, const std::string& name) {
  auto it = challenge.params.find(name);
  return it == challenge.params.end() ? std::string() : it->second;
}

}  // namespace

std::vector<Challenge> ParseWwwAuthenticate(std::string_view header) {
  return Parser(header).Run();
}

std::optional<BearerChallenge> FindBearer(
    const std::vector<Challenge>& challenges) {
  for (const Challenge& challenge : challenges) {
    if (challenge.scheme != "bearer") continue;
    BearerChallenge bearer;
    bearer.resource_metadata = ParamOrEmpty(challenge, "resource_metadata");
    bearer.scope = ParamOrEmpty(challenge, "scope");
    bearer.error = ParamOrEmpty(challenge, "error");
    bearer.error_description = ParamOrEmpty(challenge, "error_description");
    return bearer;
  }
  return std::nullopt;
}

std::optional<BearerChallenge> FindBearer(std::string_view header) {
  return FindBearer(ParseWwwAuthenticate(header));
}

}  // namespace mcpcred::oauth2

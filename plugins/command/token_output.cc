#include "plugins/command/token_output.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "plugins/sdk/wipe_json.h"

namespace mcpcred::command {
namespace {

using Json = nlohmann::json;

// RFC 3339: "T" or "t", optional fraction, "Z" or a numeric offset.
constexpr char kRfc3339[] = "%Y-%m-%d%ET%H:%M:%E*S%Ez";
// Longer lifetimes are a mistake (milliseconds printed as seconds, say), and
// beyond this the arithmetic below could overflow.
constexpr double kMaxExpiresInSeconds = 100.0 * 365 * 24 * 3600;

// Records where the parser gave up, and nothing else: the parser's own
// message quotes the offending input, which may be a secret.
class ErrorPosition final : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    position_ = position;
    return false;
  }

  // Bytes read up to and including the offending one.
  std::size_t position() const { return position_; }

 private:
  std::size_t position_ = 0;
};

absl::Status Unavailable(const std::string& message) {
  return absl::UnavailableError(message);
}

absl::Status InvalidJson(const std::string& out) {
  ErrorPosition sax;
  Json::sax_parse(out, &sax, nlohmann::detail::input_format_t::json,
                  /*strict=*/true);
  // 1-based line and column of the offending byte (or of the end of input).
  size_t offset =
      std::min(out.size(), sax.position() > 0 ? sax.position() - 1 : size_t{0});
  size_t line = 1 + static_cast<size_t>(
                        std::count(out.begin(), out.begin() + offset, '\n'));
  size_t line_start = out.rfind('\n', offset == 0 ? 0 : offset - 1);
  size_t column = (line_start == std::string::npos || offset == 0)
                      ? offset + 1
                      : offset - line_start;
  std::string message = absl::StrCat("printed invalid JSON (line ", line,
                                     ", column ", column, ")");
  if (out.find_first_not_of(" \t\r\n") == std::string::npos) {
    absl::StrAppend(&message, ": it printed nothing, not one JSON object");
  }
  return Unavailable(message);
}

// Tokens end up in HTTP headers and environment variables, where a newline
// or a NUL would split or cut them.
bool HasControlCharacter(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

absl::Status ReadExpiry(const Json& object, int64_t now_ms,
                        std::optional<int64_t>* expires_at_ms) {
  if (auto it = object.find("expires_in"); it != object.end()) {
    double seconds = it->is_number() ? it->get<double>() : -1;
    if (!std::isfinite(seconds) || seconds < 0 ||
        seconds > kMaxExpiresInSeconds) {
      return Unavailable(
          "printed an invalid \"expires_in\": it must be a number of seconds");
    }
    *expires_at_ms = now_ms + std::llround(seconds * 1000);
  }
  if (auto it = object.find("expires_at"); it != object.end()) {
    absl::Time when;
    std::string parse_error;
    // absl::ParseTime also accepts "infinite-future": refused too.
    if (!it->is_string() ||
        !absl::ParseTime(kRfc3339, it->get_ref<const std::string&>(), &when,
                         &parse_error) ||
        when == absl::InfiniteFuture() || when == absl::InfinitePast()) {
      return Unavailable(
          "printed an invalid \"expires_at\": it must be an RFC 3339 time "
          "such as 2026-11-22T10:00:00Z");
    }
    int64_t ms = absl::ToUnixMillis(when);
    *expires_at_ms =
        expires_at_ms->has_value() ? std::min(**expires_at_ms, ms) : ms;
  }
  return absl::OkStatus();
}

absl::StatusOr<CommandToken> ReadToken(const Json& object, int64_t now_ms) {
  CommandToken token;
  auto access = object.find("access_token");
  if (access == object.end() || access->is_null() ||
      (access->is_string() && access->get_ref<const std::string&>().empty())) {
    return Unavailable("printed no \"access_token\"");
  }
  if (!access->is_string()) {
    return Unavailable("printed an \"access_token\" that is not a string");
  }
  if (HasControlCharacter(access->get_ref<const std::string&>())) {
    return Unavailable(
        "printed an \"access_token\" containing control characters");
  }
  if (auto type = object.find("token_type"); type != object.end()) {
    if (!type->is_string() ||
        HasControlCharacter(type->get_ref<const std::string&>())) {
      return Unavailable("printed a \"token_type\" that is not a plain string");
    }
    token.token_type = type->get<std::string>();
  }
  absl::Status expiry = ReadExpiry(object, now_ms, &token.expires_at_ms);
  if (!expiry.ok()) return expiry;
  token.access_token.assign(access->get_ref<const std::string&>());
  return token;
}

}  // namespace

absl::StatusOr<CommandToken> ParseTokenOutput(const std::string& out,
                                              int64_t now_ms) {
  Json parsed = plugin::ParseJson(out);
  // The parsed copy of the token (and of whatever else the command printed)
  // is wiped on every way out.
  plugin::JsonWiper wipe_parsed(&parsed);
  if (parsed.is_discarded()) return InvalidJson(out);
  if (!parsed.is_object()) {
    return Unavailable(absl::StrCat("printed a JSON ", parsed.type_name(),
                                    ", not one JSON object"));
  }
  return ReadToken(parsed, now_ms);
}

}  // namespace mcpcred::command

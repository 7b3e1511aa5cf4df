#include "secret_detector.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace mcpcred::cli::import {
namespace {

constexpr size_t kMinSecretLength = 8;

constexpr absl::string_view kSecretWords[] = {
    "TOKEN",       "SECRET", "PASSWORD", "PASSWD",        "PASS",
    "KEY",         "APIKEY", "AUTH",     "AUTHORIZATION", "CREDENTIAL",
    "CREDENTIALS", "COOKIE", "PAT",      "PRIVATE",       "SESSION"};

constexpr absl::string_view kTokenPrefixes[] = {
    "ghp_",    "gho_", "ghu_",     "ghs_",     "ghr_",  "github_pat_", "glpat-",
    "sk-",     "sk_",  "pk_live_", "rk_live_", "xoxb-", "xoxp-",       "xoxa-",
    "xapp-",   "AKIA", "ASIA",     "AIza",     "ya29.", "npm_",        "pypi-",
    "secret_", "ntn_", "lin_api_", "dop_v1_",  "hf_"};

constexpr absl::string_view kSchemes[] = {"Bearer", "Basic", "Token", "Bot"};

std::vector<std::string> KeyWords(absl::string_view key) {
  std::vector<std::string> words;
  std::string word;
  char previous = '\0';
  for (char c : key) {
    bool separator = c == '_' || c == '-' || c == '.' || c == ' ';
    bool camel_break =
        absl::ascii_isupper(static_cast<unsigned char>(c)) &&
        absl::ascii_islower(static_cast<unsigned char>(previous));
    if ((separator || camel_break) && !word.empty()) {
      words.push_back(word);
      word.clear();
    }
    if (!separator) {
      word.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
    previous = c;
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

bool KeyNamesASecret(absl::string_view key) {
  for (const std::string& word : KeyWords(key)) {
    for (absl::string_view secret_word : kSecretWords) {
      if (word == secret_word) return true;
    }
  }
  return false;
}

bool IsNumber(absl::string_view value) {
  if (value.empty()) return false;
  size_t i = value[0] == '-' || value[0] == '+' ? 1 : 0;
  bool digit = false;
  for (; i < value.size(); ++i) {
    char c = value[i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c != '.') {
      return false;
    }
  }
  return digit;
}

// "scheme://" at the start; *rest gets what follows.
bool SplitUrl(absl::string_view value, absl::string_view* rest) {
  size_t colon = value.find("://");
  if (colon == absl::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = value[i];
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '+' &&
        c != '-' && c != '.') {
      return false;
    }
  }
  *rest = value.substr(colon + 3);
  return true;
}

// scheme://user:password@host...
bool IsUrlWithPassword(absl::string_view value) {
  absl::string_view rest;
  if (!SplitUrl(value, &rest)) return false;
  absl::string_view authority = rest.substr(0, rest.find('/'));
  size_t at = authority.rfind('@');
  if (at == absl::string_view::npos) return false;
  absl::string_view userinfo = authority.substr(0, at);
  size_t colon = userinfo.find(':');
  return colon != absl::string_view::npos && colon + 1 < userinfo.size();
}

bool IsObviouslyNotSecret(absl::string_view value) {
  if (value.size() < kMinSecretLength) return true;
  if (IsReference(value)) return true;
  std::string lower = absl::AsciiStrToLower(value);
  for (absl::string_view word :
       {"true", "false", "yes", "no", "on", "off", "null", "none"}) {
    if (lower == word) return true;
  }
  if (IsNumber(value)) return true;
  if (absl::StartsWith(value, "/") || absl::StartsWith(value, "./") ||
      absl::StartsWith(value, "../") || absl::StartsWith(value, "~/")) {
    return true;
  }
  absl::string_view rest;
  if (SplitUrl(value, &rest) && !IsUrlWithPassword(value)) return true;
  return false;
}

}  // namespace

bool IsReference(absl::string_view value) {
  if (absl::StrContains(value, "${") || absl::StrContains(value, "{env:")) {
    return true;
  }
  // $NAME: a shell-style reference some hosts expand.
  if (value.size() >= 2 && value[0] == '$') {
    for (size_t i = 1; i < value.size(); ++i) {
      char c = value[i];
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
        return false;
      }
    }
    return true;
  }
  return false;
}

std::optional<DetectedSecret> DetectSecret(absl::string_view key,
                                           absl::string_view value) {
  if (IsObviouslyNotSecret(value)) return std::nullopt;
  DetectedSecret detected;
  detected.secret = std::string(value);
  bool scheme = false;
  for (absl::string_view name : kSchemes) {
    if (value.size() > name.size() + 1 &&
        absl::StartsWithIgnoreCase(value, name) && value[name.size()] == ' ') {
      absl::string_view token = value.substr(name.size() + 1);
      if (token.empty() || absl::StrContains(token, " ")) break;
      detected.scheme = std::string(value.substr(0, name.size() + 1));
      detected.secret = std::string(token);
      scheme = true;
      break;
    }
  }
  if (scheme || KeyNamesASecret(key) || IsUrlWithPassword(value)) {
    return detected;
  }
  for (absl::string_view prefix : kTokenPrefixes) {
    if (absl::StartsWith(value, prefix)) return detected;
  }
  return std::nullopt;
}

}  // namespace mcpcred::cli::import

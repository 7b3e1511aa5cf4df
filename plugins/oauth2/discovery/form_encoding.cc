#include "plugins/oauth2/discovery/form_encoding.h"

#include "absl/strings/ascii.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred::oauth2 {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 +
                                      HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool Unreserved(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

size_t EncodedSize(std::string_view text) {
  size_t size = 0;
  for (char c : text) size += Unreserved(c) || c == ' ' ? 1 : 3;
  return size;
}

template <typename Out>
void AppendEncoded(std::string_view text, Out* out) {
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (Unreserved(c)) {
      out->push_back(c);
    } else if (c == ' ') {
      out->push_back('+');
    } else {
      out->push_back('%');
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0xf]);
    }
  }
}

}  // namespace

FormParams::FormParams(
    std::initializer_list<std::pair<std::string_view, std::string_view>>
        pairs) {
  // Room for what RequestToken and AddClientAuthentication add later.
  constexpr size_t kRoom = 4;
  reserve(pairs.size() + kRoom);
  for (const auto& [name, value] : pairs) emplace_back(name, value);
}

FormParams& FormParams::operator=(const FormParams& other) {
  if (this != &other) {
    Wipe();
    vector::operator=(other);
  }
  return *this;
}

FormParams& FormParams::operator=(FormParams&& other) noexcept {
  if (this != &other) {
    Wipe();
    vector::operator=(std::move(other));
  }
  return *this;
}

void FormParams::Wipe() noexcept {
  for (auto& [name, value] : *this) WipeString(&value);
}

std::string FormEncodeComponent(std::string_view text) {
  std::string out;
  out.reserve(EncodedSize(text));
  AppendEncoded(text, &out);
  return out;
}

SecretString FormEncodeSecret(std::string_view text) {
  SecretString out;
  out.reserve(EncodedSize(text));
  AppendEncoded(text, &out);
  return out;
}

std::string FormEncode(const FormParams& params) {
  size_t size = 0;
  for (const auto& [name, value] : params) {
    size += (size == 0 ? 0 : 1) + EncodedSize(name) + 1 + EncodedSize(value);
  }
  std::string out;
  out.reserve(size);
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    AppendEncoded(name, &out);
    out.push_back('=');
    AppendEncoded(value, &out);
  }
  return out;
}

std::string AppendQuery(std::string_view url, const FormParams& params) {
  if (params.empty()) return std::string(url);
  size_t hash = url.find('#');
  std::string_view base = url.substr(0, hash);
  std::string_view fragment =
      hash == std::string_view::npos ? std::string_view() : url.substr(hash);
  std::string out(base);
  if (base.find('?') == std::string_view::npos) {
    out.push_back('?');
  } else if (out.back() != '?' && out.back() != '&') {
    out.push_back('&');
  }
  out += FormEncode(params);
  out += fragment;
  return out;
}

FormParams ParseQueryPairs(std::string_view query) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  FormParams pairs;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string_view name = pair.substr(0, equals);
    std::string_view value = equals == std::string_view::npos
                                 ? std::string_view()
                                 : pair.substr(equals + 1);
    pairs.emplace_back(FormDecode(name), FormDecode(value));
  }
  return pairs;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> map;
  for (auto& [name, value] : ParseQueryPairs(query)) {
    map.emplace(std::move(name), std::move(value));
  }
  return map;
}

const std::string& FirstValue(const FormParams& pairs, std::string_view name) {
  static const std::string* const kEmpty = new std::string();
  for (const auto& [key, value] : pairs) {
    if (key == name) return value;
  }
  return *kEmpty;
}

}  // namespace mcpcred::oauth2

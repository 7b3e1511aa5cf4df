#include "mcpcred/common/secret_encodings.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "mcpcred/common/secret_string.h"

namespace mcpcred {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void AddUnique(std::vector<SecretString>& forms, SecretString form) {
  if (form.empty()) return;
  if (std::find(forms.begin(), forms.end(), form) == forms.end()) {
    forms.push_back(std::move(form));
  }
}

// Decodes one UTF-8 sequence at `i`; returns the code point, or -1 when the
// bytes are not valid UTF-8 (they are then escaped byte by byte as \u00XX,
// which is what a lenient encoder does with Latin-1 input).
int32_t DecodeUtf8(std::string_view s, size_t& i) {
  const auto b = static_cast<uint8_t>(s[i]);
  const int extra = (b & 0xE0) == 0xC0   ? 1
                    : (b & 0xF0) == 0xE0 ? 2
                    : (b & 0xF8) == 0xF0 ? 3
                                         : -1;
  if (extra < 0 || i + extra >= s.size()) return -1;
  int32_t cp = b & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    const auto next = static_cast<uint8_t>(s[i + k]);
    if ((next & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (next & 0x3F);
  }
  i += extra;
  return cp;
}

template <typename Out>
void AppendU(Out& out, uint32_t unit) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4)
    out += kHex[(unit >> shift) & 0xF];
}

// The encoders write into a std::string for callers and into a SecretString
// for EncodedForms(), whose forms are as secret as the value.
template <typename Out>
void JsonEscapeTo(std::string_view value, bool escape_slash, bool ascii_only,
                  Out& out) {
  out.reserve(value.size() + 8);
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const auto u = static_cast<uint8_t>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '/':
        out += escape_slash ? "\\/" : "/";
        continue;
      default:
        break;
    }
    if (u < 0x20) {
      AppendU(out, u);
    } else if (u >= 0x80 && ascii_only) {
      size_t at = i;
      int32_t cp = DecodeUtf8(value, at);
      if (cp < 0) {
        AppendU(out, u);
        continue;
      }
      i = at;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        AppendU(out, 0xD800 + (cp >> 10));
        AppendU(out, 0xDC00 + (cp & 0x3FF));
      } else {
        AppendU(out, static_cast<uint32_t>(cp));
      }
    } else {
      out += c;
    }
  }
}

template <typename Out>
void Base64EncodeTo(std::string_view bytes, bool url, Out& out) {
  const char* alphabet =
      url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) {
      out += alphabet[(n >> shift) & 0x3F];
    }
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += alphabet[(n >> 18) & 0x3F];
    out += alphabet[(n >> 12) & 0x3F];
    if (rest == 2) out += alphabet[(n >> 6) & 0x3F];
    for (size_t pad = rest; !url && pad < 3; ++pad) out += '=';
  }
}

template <typename Out>
void PercentEncodeTo(std::string_view value, bool form, Out& out) {
  out.reserve(value.size());
  for (char c : value) {
    const auto u = static_cast<uint8_t>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += c;
    } else if (form && c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
}

}  // namespace

std::string JsonEscape(std::string_view value, bool escape_slash,
                       bool ascii_only) {
  std::string out;
  JsonEscapeTo(value, escape_slash, ascii_only, out);
  return out;
}

std::string Base64Encode(std::string_view bytes, bool url) {
  std::string out;
  Base64EncodeTo(bytes, url, out);
  return out;
}

std::string PercentEncode(std::string_view value, bool form) {
  std::string out;
  PercentEncodeTo(value, form, out);
  return out;
}

std::vector<SecretString> EncodedForms(std::string_view value) {
  std::vector<SecretString> forms;
  AddUnique(forms, SecretString(value));
  for (bool slash : {false, true}) {
    for (bool ascii : {false, true}) {
      SecretString escaped;
      JsonEscapeTo(value, slash, ascii, escaped);
      AddUnique(forms, std::move(escaped));
    }
  }
  for (bool url : {false, true}) {
    for (size_t offset = 0; offset < 3; ++offset) {
      // The value behind `offset` filler bytes: characters 0..k depend on
      // the filler, and the last ones on whatever follows the value.
      SecretString shifted;
      shifted.resize(offset);
      shifted.append(value);
      const size_t first = offset == 0 ? 0 : offset + 1;  // chars to skip
      const size_t total_bits = shifted.size() * 8;
      const size_t whole_chars = total_bits / 6;  // chars of value bits only
      SecretString encoded;
      Base64EncodeTo(shifted.view(), url, encoded);
      if (whole_chars > first) {
        AddUnique(forms, SecretString(encoded.view().substr(
                             first, whole_chars - first)));
      }
    }
  }
  for (bool form : {false, true}) {
    SecretString upper;
    PercentEncodeTo(value, form, upper);
    SecretString lower = upper;
    for (size_t i = 0; i < lower.size(); ++i) {
      if (lower[i] == '%' && i + 2 < lower.size()) {
        lower[i + 1] = static_cast<char>(std::tolower(lower[i + 1]));
        lower[i + 2] = static_cast<char>(std::tolower(lower[i + 2]));
      }
    }
    AddUnique(forms, std::move(upper));
    AddUnique(forms, std::move(lower));
  }
  return forms;
}

}  // namespace mcpcred

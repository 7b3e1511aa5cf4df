// Helpers shared by the fuzz targets in this folder: invariant checks that
// abort with a readable report, and small pure utilities for splitting an
// input and judging the text the parsers produce.
//
// Every invariant has a name. A failed one prints the name, the place and a
// detail, then abort()s, which libFuzzer and the replay driver both treat as
// a crash. MCPCRED_FUZZ_SKIP_CHECKS=name,name turns named checks off (to keep
// fuzzing past a known, reported bug); crashes of the code under test itself
// (sanitizer reports, segfaults) cannot be turned off.
#ifndef MCPCRED_TESTS_FUZZ_FUZZ_CHECK_H_
#define MCPCRED_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace mcpcred::fuzz {

// Set by the replay driver while an input runs, so that a failure names it.
inline const char* g_current_input = nullptr;

inline bool CheckEnabled(std::string_view name) {
  static const std::vector<std::string>* skipped = [] {
    auto* names = new std::vector<std::string>;
    const char* env = std::getenv("MCPCRED_FUZZ_SKIP_CHECKS");
    std::string_view list = env == nullptr ? "" : env;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      if (!item.empty()) names->emplace_back(item);
      list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
    }
    return names;
  }();
  for (const std::string& s : *skipped) {
    if (s == name) return false;
  }
  return true;
}

// C-style escaping, so that a report shows every byte on one line.
inline std::string Escape(std::string_view text, size_t max_bytes = 512) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < text.size() && i < max_bytes; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += "\\x";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  if (text.size() > max_bytes) out += "...";
  return "\"" + out + "\"";
}

[[noreturn]] inline void Fail(const char* check, const char* file, int line,
                              const std::string& detail) {
  std::fprintf(stderr,
               "\n==== mcpcred fuzz: invariant \"%s\" violated (%s:%d)\n%s\n",
               check, file, line, detail.c_str());
  if (g_current_input != nullptr) {
    std::fprintf(stderr, "input: %s\n", g_current_input);
  }
  std::fprintf(stderr, "(to fuzz on past it: MCPCRED_FUZZ_SKIP_CHECKS=%s)\n",
               check);
  std::fflush(stderr);
  std::abort();
}

// FUZZ_CHECK("name", condition, detail): `detail` (a std::string expression)
// is only evaluated when the condition is false.
#define FUZZ_CHECK(name, condition, detail)                      \
  do {                                                           \
    if (!(condition) && ::mcpcred::fuzz::CheckEnabled(name)) {   \
      ::mcpcred::fuzz::Fail(name, __FILE__, __LINE__, (detail)); \
    }                                                            \
  } while (0)

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return size == 0
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(data), size);
}

// FNV-1a, to derive choices from the whole input deterministically.
inline uint64_t Hash(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// Splits at the first `separator`: {before, after}; no separator gives
// {"", text} so that an input without a header is all payload.
inline std::pair<std::string_view, std::string_view> SplitHeader(
    std::string_view text, char separator) {
  size_t at = text.find(separator);
  if (at == std::string_view::npos) return {std::string_view(), text};
  return {text.substr(0, at), text.substr(at + 1)};
}

inline std::vector<std::string> SplitList(std::string_view text, char sep) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  while (true) {
    size_t at = text.find(sep);
    items.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text = text.substr(at + 1);
  }
  return items;
}

// True when some byte is a C0 control character or DEL: such a message is
// not "one line" (and may carry terminal escapes).
inline bool HasControl(std::string_view text) {
  for (char c : text) {
    unsigned char b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) return true;
  }
  return false;
}

inline bool HasNewline(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

// Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF), which is
// what a proto3 `string` field must hold.
inline bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      unsigned char d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace mcpcred::fuzz

#endif  // MCPCRED_TESTS_FUZZ_FUZZ_CHECK_H_

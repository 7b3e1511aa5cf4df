#include "plugins/oauth2/discovery/one_line.h"

namespace mcpcred::oauth2 {

std::string OneLine(std::string_view text, size_t max_bytes) {
  bool truncated = text.size() > max_bytes;
  if (truncated) {
    size_t cut = max_bytes;
    // Back off over UTF-8 continuation bytes (10xxxxxx) to a lead byte.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text = text.substr(0, cut);
  }
  std::string line(text);
  for (char& c : line) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  if (truncated) line += "...";
  return line;
}

std::string QuotedForMessage(std::string_view text) {
  return "\"" + OneLine(text, 200) + "\"";
}

}  // namespace mcpcred::oauth2

// Fuzzes the relay's framing of the MCP stdio transport
// (client/exec/relay/line_framer.h): newline-delimited messages from a
// server or a host, cut into chunks anywhere.
//
// Input: byte 0 sets the line cap (1 + byte % 64), the rest is the stream;
// chunk sizes come from a hash of the input.
//
// Invariants:
//  - the lines and overflows delivered are those of a plain split of the
//    stream on '\n' (a last line without '\n' included at Finish): each line
//    of at most the cap is delivered byte for byte, each longer one is
//    reported once with its exact length, in stream order;
//  - how the stream is cut into chunks changes nothing;
//  - the framer never holds more than the cap.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "relay/line_framer.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::exec::relay::LineFramer;
using mcpcred::fuzz::Escape;

// "L<line>" or "O<length>", in order.
std::vector<std::string> Expected(std::string_view stream, size_t cap) {
  std::vector<std::string> events;
  while (!stream.empty()) {
    size_t newline = stream.find('\n');
    std::string_view line = stream.substr(0, newline);
    events.push_back(line.size() > cap ? "O" + std::to_string(line.size())
                                       : "L" + std::string(line));
    if (newline == std::string_view::npos) break;
    stream.remove_prefix(newline + 1);
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  const std::string_view input = mcpcred::fuzz::AsText(data, size);
  const size_t cap = 1 + static_cast<uint8_t>(input[0]) % 64;
  const std::string_view stream = input.substr(1);

  std::vector<std::string> got;
  LineFramer framer(
      cap,
      [&](std::string_view line) { got.push_back("L" + std::string(line)); },
      [&](uint64_t length) { got.push_back("O" + std::to_string(length)); });
  uint64_t chunking = mcpcred::fuzz::Hash(input) | 1;
  for (size_t at = 0; at < stream.size();) {
    const size_t n = std::min<size_t>(chunking % 9, stream.size() - at);
    framer.Write(stream.substr(at, n));
    FUZZ_CHECK("framing-held", framer.pending() <= cap,
               "holds " + std::to_string(framer.pending()) + " bytes, cap " +
                   std::to_string(cap));
    at += n;
    chunking = chunking * 6364136223846793005ULL + 1442695040888963407ULL;
  }
  framer.Finish();

  const std::vector<std::string> expected = Expected(stream, cap);
  std::string shown;
  for (const std::string& event : got) shown += " " + Escape(event, 80);
  FUZZ_CHECK("framing-lines", got == expected,
             "stream " + Escape(stream) + " cap " + std::to_string(cap) +
                 " delivered" + shown);
  return 0;
}

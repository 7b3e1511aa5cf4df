// Splits the bytes of an MCP stdio stream into messages: newline-delimited
// JSON-RPC, one message per line. Lines are split on '\n' alone; a '\r'
// before it is kept (JSON parsers skip it as whitespace). Since '\n' never
// occurs inside a multi-byte UTF-8 sequence, a chunk boundary or a line
// boundary never cuts a character in a way that matters here.
//
// A line longer than `max_line` is never held whole: its bytes are dropped as
// they come until its newline, and the line is reported as an overflow once,
// with its length, so the caller can answer with an error.
//
// Thread-compatible.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_LINE_FRAMER_H_
#define MCPCRED_CLIENT_EXEC_RELAY_LINE_FRAMER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace mcpcred::exec::relay {

// The default cap on one message.
inline constexpr size_t kDefaultMaxLine = size_t{64} << 20;

class LineFramer {
 public:
  // `on_line` gets each complete line without its '\n' (empty lines
  // included: the caller decides to skip them). `on_overflow` gets the total
  // length of a line that exceeded the cap, once it ends.
  using LineFn = std::function<void(std::string_view line)>;
  using OverflowFn = std::function<void(uint64_t length)>;

  LineFramer(size_t max_line, LineFn on_line, OverflowFn on_overflow);

  // Takes the next chunk of the stream.
  void Write(std::string_view chunk);
  // Ends the stream: a last line without '\n' is delivered too (an
  // oversized one as an overflow). The framer can then start again.
  void Finish();

  // Bytes held for an incomplete line.
  size_t pending() const { return partial_.size(); }

 private:
  void EndLine(std::string_view tail);

  const size_t max_line_;
  const LineFn on_line_;
  const OverflowFn on_overflow_;
  std::string partial_;
  // Inside an oversized line: its length so far.
  bool overflowing_ = false;
  uint64_t overflow_length_ = 0;
};

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_LINE_FRAMER_H_

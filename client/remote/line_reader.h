// Reads newline-delimited lines from a file descriptor (the host's stdin),
// and can be woken from another thread to stop waiting.
//
// Next() is for one thread; Interrupt() for any.
#ifndef MCPCRED_CLIENT_REMOTE_LINE_READER_H_
#define MCPCRED_CLIENT_REMOTE_LINE_READER_H_

#include <optional>
#include <string>

namespace mcpcred::remote {

class LineReader {
 public:
  explicit LineReader(int fd);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its "\n" (and a "\r" before it); a last line
  // without "\n" counts. nullopt at end of input, on a read error, or once
  // Interrupt() was called.
  std::optional<std::string> Next();
  void Interrupt();

 private:
  const int fd_;
  int wake_[2] = {-1, -1};
  std::string buffer_;
  size_t scanned_ = 0;
  bool eof_ = false;
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_LINE_READER_H_

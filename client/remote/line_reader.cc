#include "line_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace mcpcred::remote {

LineReader::LineReader(int fd) : fd_(fd) {
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
}

LineReader::~LineReader() {
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

void LineReader::Interrupt() {
  if (wake_[1] >= 0) {
    // A full pipe already holds a wake-up: a short write loses nothing.
    char byte = 1;
    if (write(wake_[1], &byte, 1) < 0) return;
  }
}

std::optional<std::string> LineReader::Next() {
  for (;;) {
    size_t newline = buffer_.find('\n', scanned_);
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      scanned_ = 0;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    scanned_ = buffer_.size();
    if (eof_) {
      if (buffer_.empty()) return std::nullopt;
      std::string line = std::move(buffer_);
      buffer_.clear();
      scanned_ = 0;
      return line;
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    int ready = poll(fds, wake_[0] >= 0 ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (wake_[0] >= 0 && (fds[1].revents & POLLIN)) return std::nullopt;
    char chunk[65536];
    ssize_t got = read(fd_, chunk, sizeof(chunk));
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      eof_ = true;
    } else if (got == 0) {
      eof_ = true;
    } else {
      buffer_.append(chunk, static_cast<size_t>(got));
    }
  }
}

}  // namespace mcpcred::remote

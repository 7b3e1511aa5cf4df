#include "agent/policy/audit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/util/fs.h"
#include "agent/util/log.h"
#include "nlohmann/json.hpp"

namespace mcpcred {

namespace {

// Opens `path` for appending; sets *size to its current size.
absl::StatusOr<int> OpenForAppend(const std::string& path, uint64_t* size) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open audit log ", path, ": ", strerror(errno)));
  }
  struct stat st;
  *size = fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    const std::string& path, uint64_t max_bytes) {
  absl::Status dir = MakePrivateDirs(Dirname(path));
  if (!dir.ok()) return dir;
  uint64_t size = 0;
  absl::StatusOr<int> fd = OpenForAppend(path, &size);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<AuditLog>(new AuditLog(path, *fd, size, max_bytes));
}

AuditLog::~AuditLog() {
  absl::MutexLock lock(&mu_);
  if (fd_ >= 0) close(fd_);
}

std::string AuditLog::error() const {
  absl::MutexLock lock(&error_mu_);
  return error_;
}

void AuditLog::RecordError(std::string error) {
  absl::MutexLock lock(&error_mu_);
  if (error.empty()) {
    if (!error_.empty()) LogInfo("audit log ", path_, " is written again");
    error_.clear();
    warned_ = false;
    return;
  }
  if (!warned_) {
    warned_ = true;
    LogWarning(error, ": hand-outs are not recorded until this is fixed");
  }
  error_ = std::move(error);
}

void AuditLog::RotateLocked() {
  if (size_.load() < max_bytes_) return;  // another thread rotated already
  const std::string old = path_ + ".1";
  if (rename(path_.c_str(), old.c_str()) != 0) {
    RecordError(absl::StrCat("cannot rotate audit log ", path_, " to ", old,
                             ": ", strerror(errno)));
    return;
  }
  uint64_t size = 0;
  absl::StatusOr<int> fd = OpenForAppend(path_, &size);
  if (!fd.ok()) {
    // Writes go on to the renamed file: better than none.
    RecordError(std::string(fd.status().message()));
    return;
  }
  close(fd_);
  fd_ = *fd;
  size_ = size;
}

namespace {

// Appends `text` as a JSON string. Plain printable ASCII (the common case:
// paths and credential names) is copied directly; anything else goes through
// nlohmann, which replaces invalid UTF-8 (a hostile name) instead of failing.
void AppendJsonString(std::string* out, const std::string& text) {
  bool plain = true;
  for (unsigned char c : text) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    absl::StrAppend(out, "\"", text, "\"");
    return;
  }
  out->append(nlohmann::json(text).dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// "2026-11-22T01:58:57.846Z". The part up to the seconds changes once a
// second; formatting it once per second per thread keeps the hot path cheap.
void AppendTime(std::string* out, absl::Time time) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached_prefix;
  const int64_t millis = absl::ToUnixMillis(time);
  const int64_t second = millis / 1000 - (millis % 1000 < 0 ? 1 : 0);
  if (second != cached_second) {
    cached_second = second;
    cached_prefix =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(second),
                         absl::UTCTimeZone());
  }
  const int64_t ms = millis - second * 1000;
  absl::StrAppend(out, cached_prefix, ".", ms < 100 ? "0" : "",
                  ms < 10 ? "0" : "", ms, "Z");
}

}  // namespace

std::string AuditLog::Format(const AuditEvent& event) {
  // Keys in sorted order, matching what a JSON library would print.
  std::string line = "{\"credential\":";
  AppendJsonString(&line, event.credential);
  line += ",\"exe\":";
  AppendJsonString(&line, event.peer.executable);
  line += ",\"outcome\":";
  AppendJsonString(&line, event.outcome);
  absl::StrAppend(&line, ",\"pid\":", event.peer.pid);
  if (!event.policy.empty()) {
    line += ",\"policy\":";
    AppendJsonString(&line, event.policy);
  }
  line += ",\"time\":\"";
  AppendTime(&line, event.time);
  absl::StrAppend(&line, "\",\"uid\":", event.peer.uid, "}");
  return line;
}

void AuditLog::Append(const AuditEvent& event) {
  std::string line = Format(event) + "\n";
  if (size_.load() + line.size() > max_bytes_) {
    absl::MutexLock lock(&mu_);
    RotateLocked();
  }
  // One write() of one line to an O_APPEND file is atomic: a shared lock is
  // enough, so handler threads never queue behind each other's disk writes.
  ssize_t n;
  int err = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    n = write(fd_, line.data(), line.size());
    err = errno;
  }
  if (n == static_cast<ssize_t>(line.size())) {
    size_ += line.size();
    bool failing;
    {
      absl::MutexLock lock(&error_mu_);
      failing = !error_.empty();
    }
    if (failing) RecordError("");
    return;
  }
  // A short write is a full disk too (write() says ENOSPC on the next try).
  if (n >= 0) err = ENOSPC;
  if (n > 0) size_ += static_cast<uint64_t>(n);
  RecordError(
      absl::StrCat("cannot write audit log ", path_, ": ", strerror(err)));
}

}  // namespace mcpcred

#include "mcpcred/common/safe_path.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace mcpcred {
namespace {

// What the kernel allows (MAXSYMLINKS) before it gives up with ELOOP.
constexpr int kMaxSymlinks = 40;

enum class Role { kAncestor, kSocketDirectory };

// The non-empty components of `path` other than ".", in order.
std::deque<std::string> Components(const std::string& path) {
  std::deque<std::string> components;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (part != ".") components.emplace_back(part);
  }
  return components;
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir == "/" ? absl::StrCat("/", name) : absl::StrCat(dir, "/", name);
}

std::string Parent(const std::string& dir) {
  size_t slash = dir.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : dir.substr(0, slash);
}

absl::Status ErrnoError(int error, const std::string& path) {
  std::string message = absl::StrCat("cannot check socket directory ", path,
                                     ": ", strerror(error));
  // Missing: no socket can be there. Otherwise it cannot be vouched for.
  if (error == ENOENT || error == ENOTDIR) return absl::NotFoundError(message);
  return absl::PermissionDeniedError(message);
}

absl::Status CheckDirectory(const std::string& dir, const struct stat& st,
                            Role role) {
  const uid_t me = geteuid();
  if (st.st_uid != 0 && st.st_uid != me) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "unsafe socket path: %s belongs to uid %d, neither you (uid %d) nor "
        "root, and that user could replace the agent's socket: run 'chown %d "
        "%s' as root, or use a socket path in directories of your own",
        dir, st.st_uid, me, me, dir));
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) == 0) return absl::OkStatus();
  const bool shared_by_root = st.st_uid == 0 && (st.st_mode & S_ISVTX) != 0;
  if (shared_by_root && role == Role::kAncestor) return absl::OkStatus();
  if (shared_by_root) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "unsafe socket path: %s (mode %04o) is shared by every user, and "
        "another user could create the agent's socket there first: put the "
        "socket in a directory of its own, e.g. %s/mcpcred-%d/agent.sock",
        dir, st.st_mode & 07777, dir == "/" ? "" : dir, me));
  }
  return absl::PermissionDeniedError(absl::StrFormat(
      "unsafe socket path: %s is writable by group or others (mode %04o), who "
      "could replace the agent's socket: run 'chmod go-w %s'",
      dir, st.st_mode & 07777, dir));
}

// lstat()s `dir` and checks it as a directory in `role`.
absl::Status CheckExistingDirectory(const std::string& dir, Role role) {
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) return ErrnoError(errno, dir);
  if (!S_ISDIR(st.st_mode)) return ErrnoError(ENOTDIR, dir);
  return CheckDirectory(dir, st, role);
}

absl::StatusOr<std::string> ReadLink(const std::string& path) {
  char target[PATH_MAX];
  ssize_t n = readlink(path.c_str(), target, sizeof(target));
  if (n < 0) return ErrnoError(errno, path);
  if (static_cast<size_t>(n) >= sizeof(target)) {
    return ErrnoError(ENAMETOOLONG, path);
  }
  return std::string(target, static_cast<size_t>(n));
}

}  // namespace

absl::Status CheckSocketDirectories(const std::string& socket_path) {
  if (socket_path.empty()) {
    return absl::InvalidArgumentError("the socket path is empty");
  }
  std::string path = socket_path;
  if (path[0] != '/') {
    std::unique_ptr<char, decltype(&free)> cwd(getcwd(nullptr, 0), &free);
    if (cwd == nullptr) return ErrnoError(errno, ".");
    path = Join(cwd.get(), path);
  }
  // Everything before the last '/' is the socket's directory.
  std::deque<std::string> pending =
      Components(path.substr(0, path.find_last_of('/')));
  std::string current = "/";
  absl::Status root = CheckExistingDirectory(current, Role::kAncestor);
  if (!root.ok()) return root;
  int links = 0;
  while (!pending.empty()) {
    std::string name = std::move(pending.front());
    pending.pop_front();
    if (name == "..") {
      current = Parent(current);  // checked on the way down
      continue;
    }
    std::string next = Join(current, name);
    struct stat st;
    if (lstat(next.c_str(), &st) != 0) return ErrnoError(errno, next);
    if (S_ISLNK(st.st_mode)) {
      // The link itself cannot change unless its directory (checked) can.
      if (++links > kMaxSymlinks) return ErrnoError(ELOOP, next);
      absl::StatusOr<std::string> target = ReadLink(next);
      if (!target.ok()) return target.status();
      std::deque<std::string> expanded = Components(*target);
      pending.insert(pending.begin(), expanded.begin(), expanded.end());
      // An absolute link starts again at / (assign(): GCC 12 warns wrongly
      // about `current = "/"` here).
      if (!target->empty() && (*target)[0] == '/') current.assign(1, '/');
      continue;
    }
    if (!S_ISDIR(st.st_mode)) return ErrnoError(ENOTDIR, next);
    absl::Status safe = CheckDirectory(next, st, Role::kAncestor);
    if (!safe.ok()) return safe;
    current = std::move(next);
  }
  // Where the path ended up, links resolved: the socket's own directory.
  return CheckExistingDirectory(current, Role::kSocketDirectory);
}

}  // namespace mcpcred

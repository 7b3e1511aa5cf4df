// The credential file of --on-rotate=signal:NAME, for servers that re-read
// their token on a signal instead of being restarted: KEY=VALUE lines (one
// per credential env key, values without newlines) in a 0600 file inside a
// private 0700 directory, named to the server by $MCPCRED_ENV_FILE. Each
// rewrite replaces the file atomically (write a temporary file, then
// rename), so a reader sees the old or the new content, never a mix.
//
// Thread-compatible.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_ENV_FILE_H_
#define MCPCRED_CLIENT_EXEC_RELAY_ENV_FILE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred::exec::relay {

inline constexpr char kEnvFileVariable[] = "MCPCRED_ENV_FILE";

class EnvFile {
 public:
  // Makes a private directory below `parent` (e.g. $XDG_RUNTIME_DIR, else
  // /tmp). INTERNAL if it cannot.
  static absl::StatusOr<std::unique_ptr<EnvFile>> Create(
      const std::string& parent);
  // Removes the file and the directory.
  ~EnvFile();

  EnvFile(const EnvFile&) = delete;
  EnvFile& operator=(const EnvFile&) = delete;

  const std::string& path() const { return path_; }

  // Replaces the content with the credentials' env (a later credential's key
  // wins). INVALID_ARGUMENT for a value holding a newline (it could not be
  // read back); messages name keys, never values.
  absl::Status Write(const std::vector<v1::Credential>& credentials);

  // The text Write puts in the file.
  static absl::StatusOr<std::string> Render(
      const std::vector<v1::Credential>& credentials);

 private:
  explicit EnvFile(std::string dir)
      : dir_(std::move(dir)), path_(dir_ + "/env") {}

  std::string dir_;
  std::string path_;
};

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_ENV_FILE_H_

#include "relay/relay.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "exec_env.h"
#include "mcpcred/common/redaction_set.h"
#include "mcpcred/common/stream_redactor.h"
#include "relay/child_process.h"
#include "relay/credential_feed.h"
#include "relay/env_file.h"
#include "relay/message_masker.h"
#include "relay/rotation_policy.h"
#include "relay/session.h"

namespace mcpcred::exec::relay {
namespace {

constexpr int kPassedSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
// A buffer this full stops the reading that fills it (backpressure).
constexpr size_t kBufferLimit = size_t{64} << 20;
constexpr size_t kReadChunk = 64 * 1024;
// After an instance exited: how long a grandchild may keep its pipes open.
constexpr absl::Duration kPipeLinger = absl::Seconds(2);
// Between two fetches of a due credential the agent could not renew.
constexpr absl::Duration kFetchRetry = absl::Seconds(1);
// Values of each credential kept masked after a rotation.
constexpr size_t kKeptVersions = 4;

sigset_t saved_mask;
bool signals_blocked = false;

sigset_t RelaySignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  for (int signal : kPassedSignals) sigaddset(&set, signal);
  return set;
}

std::string Seconds(absl::Duration duration) {
  return absl::StrCat(absl::ToDoubleSeconds(duration), " s");
}

std::string ShowCounts(const std::map<std::string, uint64_t>& counts) {
  uint64_t total = 0;
  std::vector<std::string> parts;
  for (const auto& [label, count] : counts) {
    total += count;
    parts.push_back(absl::StrCat(label, ": ", count));
  }
  return absl::StrCat(total, " (", absl::StrJoin(parts, ", "), ")");
}

HeldValue HeldOf(const v1::Credential& credential, absl::Time received) {
  HeldValue held;
  held.version = credential.version();
  held.received = received;
  if (credential.has_expires_at()) {
    held.expires = absl::FromUnixSeconds(credential.expires_at().seconds()) +
                   absl::Nanoseconds(credential.expires_at().nanos());
  }
  return held;
}

// Writes what it can of `*buffer` to `fd`; false when the reader is gone.
bool Drain(int fd, std::string* buffer) {
  while (!buffer->empty()) {
    ssize_t n = write(fd, buffer->data(), buffer->size());
    if (n > 0) {
      buffer->erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;
  }
  return true;
}

// Blocking even when stderr shares the (non-blocking) file of stdout.
void WriteStderr(std::string_view text) {
  while (!text.empty()) {
    ssize_t n = write(2, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd out{2, POLLOUT, 0};
      poll(&out, 1, 1000);
      continue;
    }
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

class Relay final : public SessionIo {
 public:
  Relay(const RelayConfig& config, std::unique_ptr<Client> client,
        std::vector<v1::Credential> credentials,
        std::optional<v1::GetRedactionValuesResponse> values);
  ~Relay() override;

  RelayExit Run();

  // SessionIo
  void WriteToHost(std::string line) override;
  void WriteToInstance(int instance, std::string line) override;
  void StopInstance(int instance) override;
  void ReplacementDone(int instance, bool ok) override;
  void Log(std::string_view line) override;

 private:
  // A line of the relay's own on stderr.
  void Say(std::string_view line);
  struct Proc {
    ChildProcess child;
    std::string to_stdin;
    bool close_stdin = false;  // once to_stdin is written
    std::unique_ptr<LineFramer> framer;
    std::unique_ptr<StreamRedactor> stderr_redactor;
    std::map<std::string, uint64_t, std::less<>> stderr_reported;
    bool exited = false;
    int status = 0;
    absl::Time exited_at;
    absl::Time kill_at = absl::InfiniteFuture();
    std::map<std::string, HeldValue> held;  // the values it was started with
  };

  absl::StatusOr<int> Spawn(const std::vector<v1::Credential>& credentials,
                            int* spawn_errno);
  void RebuildMask();
  void KeepInjected(const std::vector<v1::Credential>& credentials);
  void ApplyFeed(absl::Time now);
  void MaybeRotate(absl::Time now);
  void RotateBySignal(absl::Time now);
  void ReadHost(absl::Time now);
  // Reads one chunk; false at EOF or when nothing is there.
  bool ReadStdout(Proc& proc);
  void ReadStderr(Proc& proc);
  void FlushStdin(Proc& proc);
  void Reap(absl::Time now);
  void Finalize(int id, absl::Time now);
  void HostClosed();
  void PassSignal(int signal);
  void HarvestStderrCounts(Proc& proc);
  void Report(std::string_view why);
  std::vector<v1::Credential> LatestCredentials() const;
  void Shutdown();

  const RelayConfig config_;
  const bool rotate_;
  MessageMasker masker_;
  Session session_;
  std::unique_ptr<EnvFile> env_file_;
  int signal_fd_ = -1;
  int wake_fd_ = -1;
  std::unique_ptr<CredentialFeed> feed_;
  std::unique_ptr<Client> client_;  // until the feed takes it

  std::map<int, Proc> procs_;
  int next_id_ = 1;
  std::optional<RelayExit> done_;

  LineFramer host_framer_;
  bool host_open_ = true;
  std::string to_host_;
  bool host_gone_ = false;
  int stdout_flags_ = -1;
  bool terminating_ = false;

  // Credentials: the newest known values, what the signal-mode server
  // holds, and every value injected (kept masked).
  std::map<std::string, v1::Credential> latest_;
  std::map<std::string, HeldValue> latest_held_;
  std::map<std::string, HeldValue> signal_held_;
  std::map<std::string, std::deque<v1::Credential>> injected_;
  std::shared_ptr<const v1::GetRedactionValuesResponse> agent_values_;
  absl::Time rotate_check_ = absl::InfinitePast();
  absl::Time retry_at_ = absl::InfinitePast();
  std::map<std::string, absl::Time> fetch_at_;

  std::map<std::string, uint64_t> unreported_;
  absl::Time report_at_ = absl::InfiniteFuture();
};

Relay::Relay(const RelayConfig& config, std::unique_ptr<Client> client,
             std::vector<v1::Credential> credentials,
             std::optional<v1::GetRedactionValuesResponse> values)
    : config_(config),
      rotate_(config.on_rotate != OnRotate::kNone),
      session_(SessionOptions{config.drain_timeout, config.start_timeout}, this,
               &masker_),
      client_(std::move(client)),
      host_framer_(
          config.max_line,
          [this](std::string_view line) {
            session_.OnHostLine(line, absl::Now());
          },
          [this](uint64_t length) { session_.OnHostOverflow(length); }) {
  const absl::Time now = absl::Now();
  for (v1::Credential& credential : credentials) {
    latest_held_[credential.name()] = HeldOf(credential, now);
    latest_[credential.name()] = std::move(credential);
  }
  if (values.has_value()) {
    agent_values_ =
        std::make_shared<v1::GetRedactionValuesResponse>(*std::move(values));
  }
}

Relay::~Relay() {
  feed_.reset();
  CloseFd(&signal_fd_);
  CloseFd(&wake_fd_);
  for (auto& [id, proc] : procs_) {
    CloseFd(&proc.child.stdin_fd);
    CloseFd(&proc.child.stdout_fd);
    CloseFd(&proc.child.stderr_fd);
  }
  if (stdout_flags_ >= 0) fcntl(1, F_SETFL, stdout_flags_);
}

void Relay::Log(std::string_view line) {
  // A replacement stopped because the session ends is no news.
  if (!host_open_ || terminating_) return;
  Say(line);
}

void Relay::Say(std::string_view line) {
  std::string text(line);
  text.push_back('\n');
  WriteStderr(text);
}

std::vector<v1::Credential> Relay::LatestCredentials() const {
  std::vector<v1::Credential> credentials;
  for (const std::string& name : config_.names) {
    auto it = latest_.find(name);
    if (it != latest_.end()) credentials.push_back(it->second);
  }
  return credentials;
}

void Relay::KeepInjected(const std::vector<v1::Credential>& credentials) {
  for (const v1::Credential& credential : credentials) {
    std::deque<v1::Credential>& kept = injected_[credential.name()];
    if (!kept.empty() && kept.back().version() == credential.version()) {
      continue;
    }
    kept.push_back(credential);
    if (kept.size() > kKeptVersions) kept.pop_front();
  }
  RebuildMask();
}

void Relay::RebuildMask() {
  if (!config_.mask) return;
  // Borrowed: building the set copies no value.
  std::vector<SecretValueRef> secrets;
  for (const auto& [name, kept] : injected_) {
    for (const v1::Credential& credential : kept) {
      for (const auto& [key, value] : credential.env()) {
        secrets.push_back({value, name});
      }
      for (const auto& [key, value] : credential.headers()) {
        secrets.push_back({value, name});
      }
      if (!credential.token().empty()) {
        secrets.push_back({credential.token(), name});
      }
    }
  }
  RedactionSet::Options options;
  if (agent_values_ != nullptr) {
    for (const v1::RedactionValue& value : agent_values_->values()) {
      secrets.push_back({value.value(), value.credential()});
    }
    if (agent_values_->min_length() > 0) {
      options.min_length = agent_values_->min_length();
    }
  }
  std::shared_ptr<const RedactionSet> set =
      RedactionSet::BuildBorrowed(secrets, options);
  masker_.SetRedactionSet(set);
  for (auto& [id, proc] : procs_) {
    if (proc.stderr_redactor != nullptr) {
      std::string out;
      proc.stderr_redactor->Finish(&out);
      WriteStderr(out);
      HarvestStderrCounts(proc);
    }
    proc.stderr_redactor = std::make_unique<StreamRedactor>(set);
    proc.stderr_reported.clear();
  }
}

absl::StatusOr<int> Relay::Spawn(const std::vector<v1::Credential>& credentials,
                                 int* spawn_errno) {
  absl::StatusOr<std::vector<std::string>> environment = BuildEnvironment(
      config_.inherited_env, credentials, config_.pass_socket_path);
  if (!environment.ok()) return environment.status();
  if (env_file_ != nullptr) {
    environment->push_back(
        absl::StrCat(kEnvFileVariable, "=", env_file_->path()));
  }
  absl::StatusOr<ChildProcess> child =
      SpawnChild(config_.command, *environment, spawn_errno);
  if (!child.ok()) return child.status();
  const int id = next_id_++;
  Proc& proc = procs_[id];
  proc.child = *child;
  proc.framer = std::make_unique<LineFramer>(
      config_.max_line,
      [this, id](std::string_view line) {
        session_.OnInstanceLine(id, line, absl::Now());
      },
      [this](uint64_t length) {
        Say(absl::StrCat("mcpcred-exec: dropped a message of ", length,
                         " bytes from the server (longer than the line "
                         "limit)"));
      });
  if (masker_.redaction_set() != nullptr) {
    proc.stderr_redactor =
        std::make_unique<StreamRedactor>(masker_.redaction_set());
  }
  const absl::Time now = absl::Now();
  for (const v1::Credential& credential : credentials) {
    auto it = latest_held_.find(credential.name());
    proc.held[credential.name()] =
        it != latest_held_.end() && it->second.version == credential.version()
            ? it->second
            : HeldOf(credential, now);
  }
  return id;
}

void Relay::WriteToHost(std::string line) {
  if (host_gone_) return;
  if (to_host_.empty()) {
    // The common case: one message, written at once without a poll round.
    line.push_back('\n');
    to_host_ = std::move(line);
  } else {
    to_host_.append(line);
    to_host_.push_back('\n');
  }
  if (!Drain(1, &to_host_)) {
    host_gone_ = true;
    to_host_.clear();
  }
}

void Relay::WriteToInstance(int instance, std::string line) {
  auto it = procs_.find(instance);
  if (it == procs_.end() || it->second.child.stdin_fd < 0) return;
  Proc& proc = it->second;
  proc.to_stdin.append(line);
  proc.to_stdin.push_back('\n');
  FlushStdin(proc);
}

void Relay::FlushStdin(Proc& proc) {
  if (proc.child.stdin_fd < 0) return;
  if (!Drain(proc.child.stdin_fd, &proc.to_stdin)) {
    proc.to_stdin.clear();
    CloseFd(&proc.child.stdin_fd);
    return;
  }
  if (proc.to_stdin.empty() && proc.close_stdin) {
    CloseFd(&proc.child.stdin_fd);
  }
}

void Relay::StopInstance(int instance) {
  auto it = procs_.find(instance);
  if (it == procs_.end()) return;
  Proc& proc = it->second;
  proc.to_stdin.clear();
  CloseFd(&proc.child.stdin_fd);
  if (!proc.exited) {
    kill(proc.child.pid, SIGTERM);
    proc.kill_at = absl::Now() + config_.stop_grace;
  }
}

void Relay::ReplacementDone(int instance, bool ok) {
  const absl::Time now = absl::Now();
  if (!ok) {
    retry_at_ = now + config_.retry_delay;
    rotate_check_ = retry_at_;
    return;
  }
  retry_at_ = absl::InfinitePast();
  rotate_check_ = now;
  Report(absl::StrCat("credential rotated: server instance ", instance,
                      " took over"));
}

void Relay::HarvestStderrCounts(Proc& proc) {
  if (proc.stderr_redactor == nullptr) return;
  for (const auto& [label, count] :
       proc.stderr_redactor->replacements_by_label()) {
    uint64_t& reported = proc.stderr_reported[label];
    if (count > reported) {
      unreported_[label] += count - reported;
      reported = count;
    }
  }
}

void Relay::Report(std::string_view why) {
  for (auto& [id, proc] : procs_) HarvestStderrCounts(proc);
  for (const auto& [label, count] : masker_.TakeCounts()) {
    unreported_[label] += count;
  }
  if (unreported_.empty()) {
    if (!why.empty()) Say(absl::StrCat("mcpcred-exec: ", std::string(why)));
    return;
  }
  Say(absl::StrCat("mcpcred-exec: ", std::string(why), why.empty() ? "" : "; ",
                   "masked secret values in the server's output: ",
                   ShowCounts(unreported_)));
  if (feed_ != nullptr) feed_->Report(config_.source, unreported_);
  unreported_.clear();
  report_at_ = absl::InfiniteFuture();
}

void Relay::ApplyFeed(absl::Time now) {
  if (feed_ == nullptr) return;
  CredentialFeed::Update update = feed_->Take();
  for (const std::string& problem : update.problems) {
    Say(absl::StrCat("mcpcred-exec: ", problem));
  }
  bool changed = false;
  for (auto& [name, arrived] : update.credentials) {
    auto it = latest_.find(name);
    if (it != latest_.end() &&
        it->second.version() >= arrived.first.version()) {
      continue;
    }
    latest_held_[name] = HeldOf(arrived.first, arrived.second);
    latest_[name] = std::move(arrived.first);
    changed = true;
  }
  if (update.redaction != nullptr) {
    agent_values_ = update.redaction;
    RebuildMask();
  }
  if (changed) rotate_check_ = now;
}

void Relay::MaybeRotate(absl::Time now) {
  if (!rotate_ || terminating_ || !host_open_ || done_.has_value()) return;
  if (now < rotate_check_ || now < retry_at_) return;
  if (session_.starting().has_value()) return;
  rotate_check_ = absl::InfiniteFuture();
  auto current = procs_.find(session_.current());
  if (current == procs_.end()) return;
  const std::map<std::string, HeldValue>& running =
      config_.on_rotate == OnRotate::kSignal ? signal_held_
                                             : current->second.held;
  RotationDecision decision = DecideRotation(running, latest_held_, now,
                                             absl::FromChrono(config_.min_ttl));
  rotate_check_ = decision.next;
  for (const std::string& name : decision.fetch) {
    absl::Time& next_fetch = fetch_at_[name];
    if (now >= next_fetch) {
      feed_->RequestFresh(name, config_.min_ttl);
      next_fetch = now + kFetchRetry;
    }
    rotate_check_ = std::min(rotate_check_, next_fetch);
  }
  if (!decision.rotate) return;
  if (config_.on_rotate == OnRotate::kSignal) {
    RotateBySignal(now);
    return;
  }
  if (!session_.CanReplace()) {
    // The host has not initialized the session yet: nothing to replay.
    rotate_check_ = now + absl::Milliseconds(200);
    return;
  }
  std::vector<v1::Credential> credentials = LatestCredentials();
  int spawn_errno = 0;
  absl::StatusOr<int> id = Spawn(credentials, &spawn_errno);
  if (!id.ok()) {
    Say(absl::StrCat("mcpcred-exec: cannot start a new server instance: ",
                     id.status().message(), "; trying again in ",
                     Seconds(config_.retry_delay)));
    retry_at_ = now + config_.retry_delay;
    rotate_check_ = retry_at_;
    return;
  }
  KeepInjected(credentials);
  session_.AddReplacement(*id, now);
}

void Relay::RotateBySignal(absl::Time now) {
  std::vector<v1::Credential> credentials = LatestCredentials();
  absl::Status written = env_file_->Write(credentials);
  if (!written.ok()) {
    Say(absl::StrCat("mcpcred-exec: ", written.message()));
    retry_at_ = now + config_.retry_delay;
    rotate_check_ = retry_at_;
    return;
  }
  KeepInjected(credentials);
  for (const v1::Credential& credential : credentials) {
    signal_held_[credential.name()] = latest_held_[credential.name()];
  }
  auto current = procs_.find(session_.current());
  if (current != procs_.end() && !current->second.exited) {
    kill(current->second.child.pid, config_.rotate_signal);
  }
  rotate_check_ = now;
  Report(absl::StrCat("credential rotated: ", kEnvFileVariable,
                      " rewritten and the server signalled"));
}

void Relay::ReadHost(absl::Time now) {
  char buffer[kReadChunk];
  ssize_t n = read(0, buffer, sizeof(buffer));
  if (n > 0) {
    host_framer_.Write(std::string_view(buffer, static_cast<size_t>(n)));
    return;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  host_framer_.Finish();
  HostClosed();
}

void Relay::HostClosed() {
  host_open_ = false;
  // As without a relay: the server reads EOF once it has read everything.
  std::optional<int> starting = session_.starting();
  for (auto& [id, proc] : procs_) {
    if (starting.has_value() && id == *starting) {
      StopInstance(id);
      continue;
    }
    proc.close_stdin = true;
    FlushStdin(proc);
  }
}

bool Relay::ReadStdout(Proc& proc) {
  char buffer[kReadChunk];
  ssize_t n = read(proc.child.stdout_fd, buffer, sizeof(buffer));
  if (n > 0) {
    proc.framer->Write(std::string_view(buffer, static_cast<size_t>(n)));
    return true;
  }
  if (n < 0 && errno == EINTR) return true;
  if (n < 0 && errno == EAGAIN) return false;
  proc.framer->Finish();
  CloseFd(&proc.child.stdout_fd);
  return false;
}

void Relay::ReadStderr(Proc& proc) {
  char buffer[kReadChunk];
  ssize_t n = read(proc.child.stderr_fd, buffer, sizeof(buffer));
  std::string out;
  if (n > 0) {
    std::string_view chunk(buffer, static_cast<size_t>(n));
    if (proc.stderr_redactor != nullptr) {
      proc.stderr_redactor->Write(chunk, &out);
    } else {
      out.assign(chunk);
    }
  } else if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
    return;
  } else {
    if (proc.stderr_redactor != nullptr) proc.stderr_redactor->Finish(&out);
    CloseFd(&proc.child.stderr_fd);
  }
  WriteStderr(out);
}

void Relay::Reap(absl::Time now) {
  while (true) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (auto& [id, proc] : procs_) {
      if (proc.child.pid == pid) {
        proc.exited = true;
        proc.status = status;
        proc.exited_at = now;
        proc.kill_at = absl::InfiniteFuture();
      }
    }
  }
}

void Relay::Finalize(int id, absl::Time now) {
  Proc& proc = procs_[id];
  // What it wrote last is read first.
  while (proc.child.stdout_fd >= 0 && ReadStdout(proc)) {
  }
  if (proc.child.stdout_fd >= 0) {  // a grandchild holds it open
    proc.framer->Finish();
    CloseFd(&proc.child.stdout_fd);
  }
  if (proc.child.stderr_fd >= 0) {
    std::string out;
    if (proc.stderr_redactor != nullptr) proc.stderr_redactor->Finish(&out);
    WriteStderr(out);
    CloseFd(&proc.child.stderr_fd);
  }
  CloseFd(&proc.child.stdin_fd);
  HarvestStderrCounts(proc);
  const bool current = id == session_.current();
  session_.OnInstanceExited(id, now);
  if (current) {
    RelayExit exit;
    if (WIFEXITED(proc.status)) exit.code = WEXITSTATUS(proc.status);
    if (WIFSIGNALED(proc.status)) exit.signal = WTERMSIG(proc.status);
    done_ = exit;
    return;
  }
  procs_.erase(id);
}

void Relay::PassSignal(int signal) {
  terminating_ = true;
  for (auto& [id, proc] : procs_) {
    if (!proc.exited) kill(proc.child.pid, signal);
  }
}

void Relay::Shutdown() {
  // Whatever the host has not read yet, within a bound.
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (!to_host_.empty() && !host_gone_ && absl::Now() < until) {
    pollfd out{1, POLLOUT, 0};
    poll(&out, 1, 100);
    if (!Drain(1, &to_host_)) break;
  }
  Report("");
  // Instances still draining end with the relay.
  for (auto& [id, proc] : procs_) {
    if (!proc.exited) kill(proc.child.pid, SIGTERM);
  }
  const absl::Time kill_at = absl::Now() + config_.stop_grace;
  for (auto& [id, proc] : procs_) {
    while (!proc.exited) {
      int status = 0;
      pid_t pid = waitpid(proc.child.pid, &status, WNOHANG);
      if (pid == proc.child.pid) {
        proc.exited = true;
        break;
      }
      if (absl::Now() >= kill_at) kill(proc.child.pid, SIGKILL);
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  if (feed_ != nullptr) feed_->Flush(absl::Seconds(2));
}

RelayExit Relay::Run() {
  sigset_t signals = RelaySignals();
  signal_fd_ = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  std::signal(SIGPIPE, SIG_IGN);
  stdout_flags_ = fcntl(1, F_GETFL);
  if (stdout_flags_ >= 0) fcntl(1, F_SETFL, stdout_flags_ | O_NONBLOCK);

  std::vector<v1::Credential> credentials = LatestCredentials();
  if (config_.on_rotate == OnRotate::kSignal) {
    absl::StatusOr<std::unique_ptr<EnvFile>> file =
        EnvFile::Create(config_.private_dir_parent);
    absl::Status written =
        file.ok() ? (*file)->Write(credentials) : file.status();
    if (!written.ok()) {
      Say(absl::StrCat("mcpcred-exec: ", written.message()));
      return RelayExit{1, 0, 0};
    }
    env_file_ = *std::move(file);
    signal_held_ = latest_held_;
  }
  KeepInjected(credentials);
  int spawn_errno = 0;
  absl::StatusOr<int> first = Spawn(credentials, &spawn_errno);
  if (!first.ok()) {
    Say(absl::StrCat("mcpcred-exec: ", first.status().message()));
    return RelayExit{spawn_errno == 0 ? 1 : 0, 0,
                     spawn_errno == 0 ? 0 : spawn_errno};
  }
  session_.AddFirstInstance(*first);
  feed_ = std::make_unique<CredentialFeed>(std::move(client_), config_.names,
                                           wake_fd_, config_.mask);
  rotate_check_ = absl::Now();

  std::vector<pollfd> fds;
  // What each pollfd is: -1 host stdin, -2 host stdout, -3 signals,
  // -4 wake; else an instance id with the pipe in `pipes`.
  std::vector<std::pair<int, int>> owners;
  while (!done_.has_value()) {
    absl::Time now = absl::Now();
    // Instances gone, with their output read (or a grandchild holding it).
    for (auto& [id, proc] : procs_) {
      if (!proc.exited) continue;
      if ((proc.child.stdout_fd < 0 && proc.child.stderr_fd < 0) ||
          now >= proc.exited_at + kPipeLinger) {
        Finalize(id, now);
        break;  // procs_ changed
      }
    }
    if (done_.has_value()) break;

    fds.clear();
    owners.clear();
    auto add = [&](int fd, short events, int owner, int pipe) {
      fds.push_back(pollfd{fd, events, 0});
      owners.emplace_back(owner, pipe);
    };
    add(signal_fd_, POLLIN, -3, 0);
    add(wake_fd_, POLLIN, -4, 0);
    bool instances_full = false;
    for (auto& [id, proc] : procs_) {
      instances_full |= proc.to_stdin.size() > kBufferLimit;
    }
    if (host_open_ && !instances_full) add(0, POLLIN, -1, 0);
    if (!to_host_.empty()) add(1, POLLOUT, -2, 0);
    for (auto& [id, proc] : procs_) {
      if (proc.child.stdout_fd >= 0 && to_host_.size() < kBufferLimit) {
        add(proc.child.stdout_fd, POLLIN, id, 1);
      }
      if (proc.child.stderr_fd >= 0) add(proc.child.stderr_fd, POLLIN, id, 2);
      if (proc.child.stdin_fd >= 0 && !proc.to_stdin.empty()) {
        add(proc.child.stdin_fd, POLLOUT, id, 0);
      }
    }
    absl::Time deadline = std::min(session_.NextDeadline(), report_at_);
    if (rotate_ && !terminating_ && host_open_) {
      deadline = std::min(deadline, std::max(rotate_check_, retry_at_));
    }
    for (auto& [id, proc] : procs_) {
      deadline = std::min(deadline, proc.kill_at);
      if (proc.exited)
        deadline = std::min(deadline, proc.exited_at + kPipeLinger);
    }
    int timeout = -1;
    if (deadline != absl::InfiniteFuture()) {
      timeout = static_cast<int>(std::clamp<int64_t>(
          absl::ToInt64Milliseconds(deadline - now) + 1, 0, 60'000));
    }
    int ready = poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) {
      Say(absl::StrCat("mcpcred-exec: poll: ", std::strerror(errno)));
      break;
    }
    now = absl::Now();
    for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      const auto [owner, pipe] = owners[i];
      if (owner == -3) {
        signalfd_siginfo info;
        while (read(signal_fd_, &info, sizeof(info)) == sizeof(info)) {
          if (info.ssi_signo == SIGCHLD) {
            Reap(now);
          } else {
            PassSignal(static_cast<int>(info.ssi_signo));
          }
        }
      } else if (owner == -4) {
        uint64_t count;
        while (read(wake_fd_, &count, sizeof(count)) > 0) {
        }
        ApplyFeed(now);
      } else if (owner == -1) {
        ReadHost(now);
      } else if (owner == -2) {
        if (!Drain(1, &to_host_)) {
          host_gone_ = true;
          to_host_.clear();
        }
      } else {
        auto it = procs_.find(owner);
        if (it == procs_.end()) continue;
        Proc& proc = it->second;
        if (pipe == 0) FlushStdin(proc);
        if (pipe == 1 && proc.child.stdout_fd >= 0) ReadStdout(proc);
        if (pipe == 2 && proc.child.stderr_fd >= 0) ReadStderr(proc);
      }
    }
    session_.OnTimer(now);
    for (auto& [id, proc] : procs_) {
      if (!proc.exited && proc.kill_at <= now) {
        kill(proc.child.pid, SIGKILL);
        proc.kill_at = absl::InfiniteFuture();
      }
    }
    MaybeRotate(now);
    if (masker_.total() > 0 && report_at_ == absl::InfiniteFuture()) {
      report_at_ = now + config_.report_interval;
    }
    if (now >= report_at_) Report("");
  }
  Shutdown();
  return done_.value_or(RelayExit{1, 0, 0});
}

}  // namespace

void BlockRelaySignals() {
  sigset_t set = RelaySignals();
  pthread_sigmask(SIG_BLOCK, &set, &saved_mask);
  signals_blocked = true;
}

void RestoreSignals() {
  if (signals_blocked) pthread_sigmask(SIG_SETMASK, &saved_mask, nullptr);
  signals_blocked = false;
}

RelayExit RunRelay(const RelayConfig& config, std::unique_ptr<Client> client,
                   std::vector<v1::Credential> credentials,
                   std::optional<v1::GetRedactionValuesResponse> values) {
  Relay relay(config, std::move(client), std::move(credentials),
              std::move(values));
  return relay.Run();
}

}  // namespace mcpcred::exec::relay

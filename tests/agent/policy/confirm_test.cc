// Asking the person through a scripted askpass program: yes, no, nothing,
// the prompt it gets, one prompt for concurrent asks, remembered answers.
#include "agent/policy/confirm.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/synchronization/notification.h"
#include "agent/policy/askpass.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

class AskpassTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/askpass-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  // An askpass program with `body` as its shell script; it records its
  // argument and SSH_ASKPASS_PROMPT in dir_/asked, one line per run.
  std::string Script(const std::string& body) {
    const std::string path = dir_ + "/askpass.sh";
    std::ofstream out(path);
    out << "#!/bin/sh\necho \"$SSH_ASKPASS_PROMPT|$1\" >> '" << dir_
        << "/asked'\n"
        << body << "\n";
    out.close();
    chmod(path.c_str(), 0700);
    return path;
  }

  std::string Asked() {
    std::ifstream in(dir_ + "/asked");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string dir_;
};

TEST_F(AskpassTest, ExitZeroOrYesIsYesAnythingElseIsNo) {
  EXPECT_TRUE(IsYesAnswer(0, ""));
  EXPECT_TRUE(IsYesAnswer(0, "yes\n"));
  EXPECT_TRUE(IsYesAnswer(0, "YES"));
  EXPECT_FALSE(IsYesAnswer(0, "no\n"));
  EXPECT_FALSE(IsYesAnswer(1, ""));
  EXPECT_FALSE(IsYesAnswer(1, "yes"));
}

TEST_F(AskpassTest, RunsTheProgramWithTheQuestionAndConfirmMode) {
  absl::StatusOr<bool> yes =
      RunAskpass(Script("echo yes"), "Allow it?", absl::Seconds(30), -1);
  ASSERT_TRUE(yes.ok()) << yes.status();
  EXPECT_TRUE(*yes);
  EXPECT_EQ(Asked(), "confirm|Allow it?\n");
  absl::StatusOr<bool> no =
      RunAskpass(Script("exit 1"), "Allow it?", absl::Seconds(30), -1);
  ASSERT_TRUE(no.ok()) << no.status();
  EXPECT_FALSE(*no);
}

TEST_F(AskpassTest, NoAnswerInTimeIsDeadlineExceeded) {
  absl::StatusOr<bool> answer = RunAskpass(Script("exec sleep 600"), "Allow?",
                                           absl::Milliseconds(200), -1);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(AskpassTest, CancelEndsThePrompt) {
  int cancel[2];
  ASSERT_EQ(pipe(cancel), 0);
  ASSERT_EQ(write(cancel[1], "x", 1), 1);
  absl::StatusOr<bool> answer =
      RunAskpass(Script("exec sleep 600"), "Allow?", absl::Hours(1), cancel[0]);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kCancelled);
  close(cancel[0]);
  close(cancel[1]);
}

TEST_F(AskpassTest, AMissingProgramIsUnavailable) {
  absl::StatusOr<bool> answer =
      RunAskpass(dir_ + "/none", "Allow?", absl::Seconds(5), -1);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
}

CallerIdentity Caller(uint64_t start_time) {
  CallerIdentity caller;
  caller.pid = 4242;
  caller.start_time = start_time;
  caller.executable = "/usr/bin/node";
  return caller;
}

// Runs Ask and waits for its answer.
absl::Status AskAndWait(Confirmer& confirmer, const CallerIdentity& caller,
                        std::string* detail = nullptr) {
  absl::Notification done;
  absl::Status result;
  confirmer.Ask("github", caller, absl::Seconds(30),
                [&](absl::Status status, const std::string& what) {
                  result = status;
                  if (detail != nullptr) *detail = what;
                  done.Notify();
                });
  done.WaitForNotification();
  return result;
}

TEST_F(AskpassTest, YesIsRememberedForTheProcessOnly) {
  const std::string program = Script("exit 0");
  Confirmer confirmer([&] { return program; });
  std::string detail;
  EXPECT_TRUE(AskAndWait(confirmer, Caller(100), &detail).ok());
  EXPECT_EQ(detail, "confirmed");
  EXPECT_TRUE(confirmer.Approved("github", Caller(100)));
  EXPECT_TRUE(AskAndWait(confirmer, Caller(100), &detail).ok());
  EXPECT_EQ(detail, "confirmed earlier");
  // Same pid, another start time: another process, asked again.
  EXPECT_FALSE(confirmer.Approved("github", Caller(200)));
  EXPECT_TRUE(AskAndWait(confirmer, Caller(200)).ok());
  std::string asked = Asked();
  EXPECT_EQ(std::count(asked.begin(), asked.end(), '\n'), 2) << asked;
  EXPECT_NE(asked.find("Allow /usr/bin/node (pid 4242) to use the "
                       "credential \"github\"?"),
            std::string::npos)
      << asked;
}

TEST_F(AskpassTest, NoIsARefusal) {
  const std::string program = Script("echo no");
  Confirmer confirmer([&] { return program; });
  absl::Status refused = AskAndWait(confirmer, Caller(100));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "credential \"github\" needs your confirmation for /usr/bin/node "
            "(pid 4242): you refused it");
  EXPECT_FALSE(confirmer.Approved("github", Caller(100)));
}

// No desktop notification either (as AskByNotification says it).
absl::StatusOr<bool> NoNotifications(const std::string&, absl::Duration, int) {
  return absl::UnavailableError("no session D-Bus for a desktop notification");
}

TEST_F(AskpassTest, NoAskpassProgramIsARefusalSayingWhatToSet) {
  Confirmer confirmer([] { return std::string(); }, NoNotifications);
  absl::Status refused = AskAndWait(confirmer, Caller(100));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("no askpass program and no session D-Bus "
                                   "for a desktop notification: set "
                                   "MCPCRED_ASKPASS"),
            std::string::npos)
      << refused.message();
}

TEST_F(AskpassTest, WithoutAskpassTheNotificationIsAsked) {
  std::string asked;
  Confirmer confirmer([] { return std::string(); },
                      [&](const std::string& question, absl::Duration,
                          int) -> absl::StatusOr<bool> {
                        asked = question;
                        return true;
                      });
  std::string detail;
  EXPECT_TRUE(AskAndWait(confirmer, Caller(100), &detail).ok());
  EXPECT_EQ(detail, "confirmed by notification");
  EXPECT_EQ(asked,
            "Allow /usr/bin/node (pid 4242) to use the credential \"github\"?");
}

TEST_F(AskpassTest, AnAskpassProgramIsAskedBeforeTheNotification) {
  const std::string program = Script("exit 0");
  bool notified = false;
  Confirmer confirmer(
      [&] { return program; },
      [&](const std::string&, absl::Duration, int) -> absl::StatusOr<bool> {
        notified = true;
        return false;
      });
  std::string detail;
  EXPECT_TRUE(AskAndWait(confirmer, Caller(100), &detail).ok());
  EXPECT_EQ(detail, "confirmed");
  EXPECT_FALSE(notified);
}

TEST_F(AskpassTest, ConcurrentAsksShareOnePrompt) {
  // The prompt answers only once the test lets it (a file appears).
  const std::string gate = dir_ + "/answer";
  const std::string program =
      Script("while [ ! -e '" + gate + "' ]; do sleep 0.05; done; exit 0");
  Confirmer confirmer([&] { return program; });
  absl::Notification first_done, second_done;
  absl::Status first, second;
  confirmer.Ask("github", Caller(100), absl::Seconds(60),
                [&](absl::Status s, const std::string&) {
                  first = s;
                  first_done.Notify();
                });
  confirmer.Ask("github", Caller(100), absl::Seconds(60),
                [&](absl::Status s, const std::string&) {
                  second = s;
                  second_done.Notify();
                });
  std::ofstream(gate).close();
  first_done.WaitForNotification();
  second_done.WaitForNotification();
  EXPECT_TRUE(first.ok()) << first;
  EXPECT_TRUE(second.ok()) << second;
  std::string asked = Asked();
  EXPECT_EQ(std::count(asked.begin(), asked.end(), '\n'), 1) << asked;
}

TEST_F(AskpassTest, StopEndsAnOpenPrompt) {
  const std::string program = Script("exec sleep 600");
  Confirmer confirmer([&] { return program; });
  absl::Notification done;
  absl::Status result;
  confirmer.Ask("github", Caller(100), absl::Hours(1),
                [&](absl::Status s, const std::string&) {
                  result = s;
                  done.Notify();
                });
  confirmer.Stop();
  done.WaitForNotification();
  EXPECT_EQ(result.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace mcpcred

// The encrypted file store: round trip, restart, modes, no plaintext on disk,
// damage and a missing key reported without the file being overwritten.
// Disk-full and read-only cases are in file_store_failure_test.cc.
#include "agent/store/file_store.h"

#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/store/store_test_util.h"

namespace mcpcred {
namespace {

using ::mcpcred::testing::ModeOf;
using ::mcpcred::testing::ReadBytes;
using ::mcpcred::testing::ScratchDir;
using ::mcpcred::testing::WriteBytes;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// Distinctive, so that a scan of the disk cannot miss it.
constexpr char kValue[] = "file-store-test-value-7f3a9c";
const StoreKey kSecret{"linear", "secret", ""};
const StoreKey kRefresh{"github", "refresh_token", "https://issuer.example"};

class FileStoreTest : public ::testing::Test {
 protected:
  std::string state() const { return dir_.path() + "/state/mcpcred"; }
  std::string db() const { return state() + "/secrets.db"; }
  std::string key_file() const { return state() + "/mcpcred.key"; }
  FileStoreOptions Options() const { return {db(), {}}; }
  std::unique_ptr<FileStore> NewStore() const {
    return std::make_unique<FileStore>(Options());
  }

  ScratchDir dir_;
};

TEST_F(FileStoreTest, RoundTripReplaceDeleteAndScopes) {
  FileStore store(Options());
  EXPECT_TRUE(absl::IsNotFound(store.Get(kSecret).status()));
  EXPECT_TRUE(store.List()->empty());
  ASSERT_TRUE(store.Put(kSecret, kValue).ok());
  ASSERT_TRUE(store.Put(kRefresh, "r1").ok());
  EXPECT_EQ(*store.Get(kSecret), kValue);
  // Another server's entry is another entry.
  EXPECT_TRUE(absl::IsNotFound(
      store.Get({"github", "refresh_token", "https://other"}).status()));
  ASSERT_TRUE(store.Put(kRefresh, "r2").ok());
  EXPECT_EQ(*store.Get(kRefresh), "r2");
  EXPECT_THAT(*store.List(), UnorderedElementsAre(kSecret, kRefresh));
  ASSERT_TRUE(store.Delete(kSecret).ok());
  ASSERT_TRUE(store.Delete(kSecret).ok());  // idempotent
  EXPECT_THAT(*store.List(), UnorderedElementsAre(kRefresh));
  EXPECT_EQ(store.name(), "file");
  EXPECT_EQ(store.location(), db());
}

TEST_F(FileStoreTest, NothingIsCreatedUntilTheFirstWrite) {
  FileStore store(Options());
  EXPECT_TRUE(absl::IsNotFound(store.Get(kSecret).status()));
  EXPECT_TRUE(store.Delete(kSecret).ok());
  EXPECT_TRUE(store.Check().ok());
  EXPECT_FALSE(std::filesystem::exists(state()));
}

TEST_F(FileStoreTest, ANewInstanceReadsWhatTheOldOneWrote) {
  ASSERT_TRUE(NewStore()->Put(kSecret, kValue).ok());
  ASSERT_TRUE(NewStore()->Put(kRefresh, "r1").ok());
  std::unique_ptr<FileStore> restarted = NewStore();
  EXPECT_TRUE(restarted->Check().ok());
  EXPECT_EQ(*restarted->Get(kSecret), kValue);
  EXPECT_EQ(*restarted->Get(kRefresh), "r1");
}

TEST_F(FileStoreTest, TwoInstancesSeeEachOthersWrites) {
  // Two agents sharing a state directory.
  std::unique_ptr<FileStore> a = NewStore();
  std::unique_ptr<FileStore> b = NewStore();
  ASSERT_TRUE(a->Put(kSecret, "from-a").ok());
  ASSERT_TRUE(b->Put(kRefresh, "from-b").ok());
  EXPECT_EQ(*a->Get(kRefresh), "from-b");
  EXPECT_EQ(*b->Get(kSecret), "from-a");
  ASSERT_TRUE(b->Delete(kSecret).ok());
  EXPECT_TRUE(absl::IsNotFound(a->Get(kSecret).status()));
}

TEST_F(FileStoreTest, ConcurrentWritersLoseNothing) {
  std::unique_ptr<FileStore> a = NewStore();
  std::unique_ptr<FileStore> b = NewStore();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      FileStore* store = t % 2 == 0 ? a.get() : b.get();
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(
            store->Put({absl::StrCat("c", t, "-", i), "secret", ""}, "v").ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(NewStore()->List()->size(), 40u);
}

TEST_F(FileStoreTest, ModesArePrivate) {
  ASSERT_TRUE(NewStore()->Put(kSecret, kValue).ok());
  EXPECT_EQ(ModeOf(state()), 0700u);
  EXPECT_EQ(ModeOf(db()), 0600u);
  EXPECT_EQ(ModeOf(key_file()), 0600u);
  EXPECT_EQ(ReadBytes(key_file()).size(), 32u);
}

TEST_F(FileStoreTest, TheValueIsOnNoByteOnDisk) {
  FileStore store(Options());
  ASSERT_TRUE(store.Put(kSecret, kValue).ok());
  ASSERT_TRUE(store.Put(kRefresh, kValue).ok());
  ASSERT_TRUE(store.Delete(kRefresh).ok());
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::string bytes = ReadBytes(entry.path());
    // Raw, and as text encodings an editor or a tool might show.
    for (const std::string& form :
         {std::string(kValue), absl::BytesToHexString(kValue),
          absl::Base64Escape(kValue)}) {
      EXPECT_EQ(bytes.find(form), std::string::npos)
          << "the value is readable in " << entry.path();
    }
  }
  EXPECT_EQ(files, 2);  // the store and its key; no temporary file left
}

TEST_F(FileStoreTest, ATamperedByteIsAnErrorAndTheFileIsNeverOverwritten) {
  ASSERT_TRUE(NewStore()->Put(kSecret, kValue).ok());
  ASSERT_TRUE(NewStore()->Put(kRefresh, "r1").ok());
  const std::string good = ReadBytes(db());
  // The header, a name, a value and the file tag.
  for (size_t offset :
       {size_t{3}, size_t{20}, good.size() / 2, good.size() - 1}) {
    std::string bad = good;
    bad[offset] ^= 0x01;
    WriteBytes(db(), bad);
    std::unique_ptr<FileStore> store = NewStore();
    absl::Status check = store->Check();
    EXPECT_TRUE(absl::IsDataLoss(check)) << offset << ": " << check;
    EXPECT_THAT(check.message(), HasSubstr(db()));
    EXPECT_THAT(check.message(), HasSubstr("move it away"));
    // No entry is served, and nothing written over it.
    EXPECT_TRUE(absl::IsDataLoss(store->Get(kSecret).status()));
    EXPECT_TRUE(absl::IsDataLoss(store->List().status()));
    EXPECT_TRUE(absl::IsDataLoss(store->Put(kSecret, "new")));
    EXPECT_TRUE(absl::IsDataLoss(store->Delete(kRefresh)));
    EXPECT_TRUE(ReadBytes(db()) == bad) << "the damaged file was changed";
  }
  // Restored, it serves again.
  WriteBytes(db(), good);
  EXPECT_EQ(*NewStore()->Get(kSecret), kValue);
}

TEST_F(FileStoreTest, DamageAfterStartIsNoticedByTheRunningStore) {
  FileStore store(Options());
  ASSERT_TRUE(store.Put(kSecret, kValue).ok());
  WriteBytes(db(), "MCPCREDS garbage");
  EXPECT_TRUE(absl::IsDataLoss(store.Get(kSecret).status()));
  EXPECT_TRUE(absl::IsDataLoss(store.Put(kSecret, "new")));
  EXPECT_EQ(ReadBytes(db()), "MCPCREDS garbage");
}

// A store cut short (a crash or a full disk mid-write, then a copy) used to be
// "not an mcpcred store file (bad magic)", or "its key is missing: restore
// the key" when no key existed: both send the person after the wrong thing.
TEST_F(FileStoreTest, AnEmptyOrTruncatedFileSaysSo) {
  ASSERT_TRUE(NewStore()->Put(kSecret, kValue).ok());
  const std::string good = ReadBytes(db());
  for (const std::string& cut :
       {std::string(), good.substr(0, 4), good.substr(0, 12)}) {
    SCOPED_TRACE(cut.size());
    WriteBytes(db(), cut);
    absl::Status check = NewStore()->Check();
    EXPECT_TRUE(absl::IsDataLoss(check)) << check;
    EXPECT_THAT(check.message(),
                HasSubstr(cut.empty() ? "it is empty (0 bytes)"
                                      : absl::StrCat("it is truncated (",
                                                     cut.size(), " bytes)")));
    EXPECT_THAT(check.message(),
                HasSubstr("mv " + db() + " " + db() + ".damaged"));
  }
  // Even with no key at all, the file is what is wrong.
  ASSERT_EQ(std::remove(key_file().c_str()), 0);
  WriteBytes(db(), "");
  absl::Status check = NewStore()->Check();
  EXPECT_THAT(check.message(), HasSubstr("it is empty"));
  EXPECT_THAT(check.message(), ::testing::Not(HasSubstr("is missing")));
}

TEST_F(FileStoreTest, AMissingKeyFileIsAnErrorNamingIt) {
  ASSERT_TRUE(NewStore()->Put(kSecret, kValue).ok());
  const std::string before = ReadBytes(db());
  std::filesystem::remove(key_file());
  std::unique_ptr<FileStore> store = NewStore();
  absl::Status check = store->Check();
  EXPECT_TRUE(absl::IsDataLoss(check)) << check;
  EXPECT_THAT(check.message(), HasSubstr(key_file() + " is missing"));
  EXPECT_TRUE(absl::IsDataLoss(store->Put(kSecret, "new")));
  EXPECT_FALSE(std::filesystem::exists(key_file())) << "a new key was made";
  EXPECT_TRUE(ReadBytes(db()) == before);
}

TEST_F(FileStoreTest, AKeyRemovedWhileRunningStopsWrites) {
  FileStore store(Options());
  ASSERT_TRUE(store.Put(kSecret, kValue).ok());
  const std::string before = ReadBytes(db());
  std::filesystem::remove(key_file());
  // The running store still knows the key, but a file written with it could
  // not be opened after a restart.
  absl::Status put = store.Put(kRefresh, "r1");
  EXPECT_TRUE(absl::IsDataLoss(put)) << put;
  EXPECT_THAT(put.message(), HasSubstr("nothing was written"));
  EXPECT_TRUE(ReadBytes(db()) == before);
  EXPECT_EQ(*store.Get(kSecret), kValue);
}

TEST_F(FileStoreTest, AKeyReadableByOthersIsRefused) {
  ASSERT_TRUE(NewStore()->Put(kSecret, kValue).ok());
  chmod(key_file().c_str(), 0644);
  absl::StatusOr<SecretString> got = NewStore()->Get(kSecret);
  EXPECT_TRUE(absl::IsPermissionDenied(got.status()));
  EXPECT_THAT(got.status().message(), HasSubstr("chmod 600"));
}

TEST_F(FileStoreTest, SystemdCredentialKeyRawOrHex) {
  const std::string creds = dir_.path() + "/creds";
  ASSERT_EQ(mkdir(creds.c_str(), 0700), 0);
  const std::string raw(32, '\x5a');
  WriteBytes(creds + "/mcpcred.key", raw, 0400);
  FileStoreOptions options = Options();
  options.key.credentials_dir = creds;
  ASSERT_TRUE(FileStore(options).Put(kSecret, kValue).ok());
  EXPECT_FALSE(std::filesystem::exists(key_file())) << "no key file needed";
  // The same key as hex digits with a newline, as `systemd-creds` users
  // often write it.
  WriteBytes(creds + "/mcpcred.key", absl::BytesToHexString(raw) + "\n", 0400);
  EXPECT_EQ(*FileStore(options).Get(kSecret), kValue);
  // Another key does not open the file.
  WriteBytes(creds + "/mcpcred.key", std::string(32, 'x'), 0400);
  EXPECT_TRUE(absl::IsDataLoss(FileStore(options).Get(kSecret).status()));
  WriteBytes(creds + "/mcpcred.key", "too short", 0400);
  absl::Status bad = FileStore(options).Check();
  EXPECT_THAT(bad.message(), HasSubstr("32 raw bytes or 64 hex digits"));
}

TEST_F(FileStoreTest, AnOpenDirectoryIsRefused) {
  ASSERT_EQ(mkdir((dir_.path() + "/state").c_str(), 0700), 0);
  ASSERT_EQ(mkdir(state().c_str(), 0755), 0);
  absl::Status put = NewStore()->Put(kSecret, kValue);
  EXPECT_FALSE(put.ok());
  EXPECT_FALSE(std::filesystem::exists(db()));
}

TEST_F(FileStoreTest, ErrorsNeverContainTheValue) {
  ASSERT_TRUE(NewStore()->Put(kSecret, kValue).ok());
  WriteBytes(db(), "MCPCREDS");
  absl::Status put = NewStore()->Put(kSecret, kValue);
  EXPECT_FALSE(put.ok());
  EXPECT_EQ(put.ToString().find(kValue), std::string::npos);
}

}  // namespace
}  // namespace mcpcred

#include "agent/store/aes_gcm.h"

#include <string>

#include "agent/store/file_store_format.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

const std::string kKey(32, 'k');
const std::string kOtherKey(32, 'o');

TEST(AesGcmTest, RoundTripWithFreshNonces) {
  absl::StatusOr<std::string> a = SealAesGcm(kKey, "value", "aad");
  absl::StatusOr<std::string> b = SealAesGcm(kKey, "value", "aad");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 5 + kAesGcmOverhead);
  EXPECT_NE(*a, *b);  // a random nonce each time
  EXPECT_EQ(a->find("value"), std::string::npos);
  EXPECT_EQ(*OpenAesGcm(kKey, *a, "aad"), "value");
  EXPECT_EQ(*OpenAesGcm(kKey, *SealAesGcm(kKey, "", ""), ""), "");
}

TEST(AesGcmTest, AnyChangeFailsToOpen) {
  std::string sealed = *SealAesGcm(kKey, "value", "aad");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] ^= 0x01;
    EXPECT_TRUE(absl::IsDataLoss(OpenAesGcm(kKey, altered, "aad").status()))
        << "byte " << i;
  }
  EXPECT_TRUE(absl::IsDataLoss(OpenAesGcm(kKey, sealed, "aaD").status()));
  EXPECT_TRUE(absl::IsDataLoss(OpenAesGcm(kOtherKey, sealed, "aad").status()));
  EXPECT_TRUE(absl::IsDataLoss(
      OpenAesGcm(kKey, sealed.substr(0, sealed.size() - 1), "aad").status()));
  EXPECT_TRUE(absl::IsDataLoss(OpenAesGcm(kKey, "short", "aad").status()));
}

TEST(AesGcmTest, RefusesAWrongSizeKey) {
  EXPECT_TRUE(absl::IsInvalidArgument(SealAesGcm("short", "v", "").status()));
}

TEST(FileStoreFormatTest, EncodeDecodeRoundTrip) {
  SealedEntries entries;
  StoreKey a{"gh", "refresh_token", "https://a"};
  StoreKey b{"linear", "secret", ""};
  entries[a] = *SealEntry(kKey, a, "r1");
  entries[b] = *SealEntry(kKey, b, "s1");
  std::string file = *EncodeStoreFile(kKey, entries);
  absl::StatusOr<SealedEntries> decoded = DecodeStoreFile(kKey, file);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, entries);
  EXPECT_EQ(*OpenEntry(kKey, b, decoded->at(b)), "s1");
  EXPECT_TRUE(DecodeStoreFile(kKey, *EncodeStoreFile(kKey, {}))->empty());
}

TEST(FileStoreFormatTest, AValueMovedToAnotherEntryDoesNotOpen) {
  StoreKey a{"gh", "secret", ""};
  StoreKey b{"evil", "secret", ""};
  std::string sealed = *SealEntry(kKey, a, "value");
  EXPECT_TRUE(absl::IsDataLoss(OpenEntry(kKey, b, sealed).status()));
}

TEST(FileStoreFormatTest, DamageIsDataLossWithAReason) {
  StoreKey a{"gh", "secret", ""};
  std::string file = *EncodeStoreFile(kKey, {{a, *SealEntry(kKey, a, "v")}});
  EXPECT_EQ(DecodeStoreFile(kKey, "garbage").status().message(),
            "not an mcpcred store file (bad magic)");
  for (size_t i = 0; i < file.size(); ++i) {
    std::string altered = file;
    altered[i] ^= 0x20;
    EXPECT_TRUE(absl::IsDataLoss(DecodeStoreFile(kKey, altered).status()))
        << "byte " << i;
  }
  EXPECT_TRUE(absl::IsDataLoss(
      DecodeStoreFile(kKey, file.substr(0, file.size() - 3)).status()));
  EXPECT_TRUE(absl::IsDataLoss(DecodeStoreFile(kOtherKey, file).status()));
  std::string newer = file;
  newer[11] = 2;  // the version's low byte
  EXPECT_NE(DecodeStoreFile(kKey, newer)
                .status()
                .message()
                .find("format version 2 is not supported"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace mcpcred

#include "agent/policy/passphrase_hash.h"

#include <string>

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(PassphraseHashTest, MatchesOnlyThePassphraseHashed) {
  absl::StatusOr<PassphraseHash> hash =
      PassphraseHash::Create("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(hash->Matches("correct horse battery staple"));
  EXPECT_FALSE(hash->Matches("correct horse battery stapl"));
  EXPECT_FALSE(hash->Matches("correct horse battery staple "));
  EXPECT_FALSE(hash->Matches(""));
}

TEST(PassphraseHashTest, RefusesEmptyAndOversizedPassphrases) {
  EXPECT_EQ(PassphraseHash::Create("").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PassphraseHash::Create(std::string(kMaxPassphraseBytes + 1, 'x'))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      PassphraseHash::Create(std::string(kMaxPassphraseBytes, 'x')).ok());
}

}  // namespace
}  // namespace mcpcred

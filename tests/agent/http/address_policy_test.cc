#include "agent/http/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;

sockaddr_storage V4(const char* text) {
  sockaddr_storage storage{};
  auto* in = reinterpret_cast<sockaddr_in*>(&storage);
  in->sin_family = AF_INET;
  inet_pton(AF_INET, text, &in->sin_addr);
  return storage;
}

sockaddr_storage V6(const char* text) {
  sockaddr_storage storage{};
  auto* in = reinterpret_cast<sockaddr_in6*>(&storage);
  in->sin6_family = AF_INET6;
  inet_pton(AF_INET6, text, &in->sin6_addr);
  return storage;
}

AddressClass Classify(const sockaddr_storage& s) {
  return ClassifyAddress(reinterpret_cast<const sockaddr*>(&s), sizeof(s));
}

absl::Status Check(const char* scheme, const sockaddr_storage& s,
                   bool allow_private = false) {
  return CheckConnectAddress(scheme, reinterpret_cast<const sockaddr*>(&s),
                             sizeof(s), allow_private);
}

TEST(AddressPolicyTest, ClassifiesV4) {
  EXPECT_EQ(Classify(V4("127.0.0.1")), AddressClass::kLoopback);
  EXPECT_EQ(Classify(V4("127.255.0.9")), AddressClass::kLoopback);
  EXPECT_EQ(Classify(V4("10.1.2.3")), AddressClass::kPrivate);
  EXPECT_EQ(Classify(V4("172.16.0.1")), AddressClass::kPrivate);
  EXPECT_EQ(Classify(V4("172.32.0.1")), AddressClass::kPublic);
  EXPECT_EQ(Classify(V4("192.168.1.1")), AddressClass::kPrivate);
  EXPECT_EQ(Classify(V4("100.64.0.1")), AddressClass::kPrivate);
  EXPECT_EQ(Classify(V4("169.254.169.254")), AddressClass::kLinkLocal);
  EXPECT_EQ(Classify(V4("0.0.0.0")), AddressClass::kForbidden);
  EXPECT_EQ(Classify(V4("224.0.0.1")), AddressClass::kForbidden);
  EXPECT_EQ(Classify(V4("255.255.255.255")), AddressClass::kForbidden);
  EXPECT_EQ(Classify(V4("140.82.112.3")), AddressClass::kPublic);
}

TEST(AddressPolicyTest, ClassifiesV6IncludingMappedV4) {
  EXPECT_EQ(Classify(V6("::1")), AddressClass::kLoopback);
  EXPECT_EQ(Classify(V6("fe80::1")), AddressClass::kLinkLocal);
  EXPECT_EQ(Classify(V6("fd00::1")), AddressClass::kPrivate);
  EXPECT_EQ(Classify(V6("::")), AddressClass::kForbidden);
  EXPECT_EQ(Classify(V6("ff02::1")), AddressClass::kForbidden);
  EXPECT_EQ(Classify(V6("::ffff:10.0.0.1")), AddressClass::kPrivate);
  EXPECT_EQ(Classify(V6("::ffff:127.0.0.1")), AddressClass::kLoopback);
  EXPECT_EQ(Classify(V6("2606:4700::1111")), AddressClass::kPublic);
}

TEST(AddressPolicyTest, PlainHttpOnlyToLoopback) {
  EXPECT_TRUE(Check("http", V4("127.0.0.1")).ok());
  EXPECT_TRUE(Check("http", V6("::1")).ok());
  absl::Status refused = Check("http", V4("140.82.112.3"));
  EXPECT_TRUE(absl::IsPermissionDenied(refused));
  EXPECT_THAT(refused.message(), HasSubstr("only loopback hosts may use http"));
  EXPECT_TRUE(Check("https", V4("140.82.112.3")).ok());
}

TEST(AddressPolicyTest, PrivateAndLinkLocalNeedTheCredentialsConsent) {
  absl::Status refused = Check("https", V4("169.254.169.254"));
  EXPECT_TRUE(absl::IsPermissionDenied(refused));
  EXPECT_THAT(refused.message(), HasSubstr("allow_private_network"));
  EXPECT_TRUE(Check("https", V4("10.0.0.5"), /*allow_private=*/true).ok());
  EXPECT_FALSE(Check("https", V4("0.0.0.0"), /*allow_private=*/true).ok());
}

}  // namespace
}  // namespace mcpcred

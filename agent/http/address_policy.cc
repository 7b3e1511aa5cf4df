#include "agent/http/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace mcpcred {
namespace {

AddressClass ClassifyV4(uint32_t host_order) {
  auto in = [host_order](uint32_t net, int bits) {
    uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    return (host_order & mask) == net;
  };
  if (in(0x7F000000, 8)) return AddressClass::kLoopback;
  if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) ||
      in(0x64400000, 10)) {
    return AddressClass::kPrivate;
  }
  if (in(0xA9FE0000, 16)) return AddressClass::kLinkLocal;
  if (in(0x00000000, 8) || in(0xE0000000, 4) || in(0xF0000000, 4)) {
    return AddressClass::kForbidden;  // "this network", multicast, reserved
  }
  return AddressClass::kPublic;
}

AddressClass ClassifyV6(const in6_addr& a) {
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    uint32_t v4;
    std::memcpy(&v4, &a.s6_addr[12], 4);
    return ClassifyV4(ntohl(v4));
  }
  if (IN6_IS_ADDR_LOOPBACK(&a)) return AddressClass::kLoopback;
  if (IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_MULTICAST(&a)) {
    return AddressClass::kForbidden;
  }
  if (IN6_IS_ADDR_LINKLOCAL(&a)) return AddressClass::kLinkLocal;
  if ((a.s6_addr[0] & 0xFE) == 0xFC) return AddressClass::kPrivate;  // ULA
  return AddressClass::kPublic;
}

std::string Describe(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr,
              text, sizeof(text));
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6,
              &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof(text));
  }
  return text;
}

}  // namespace

AddressClass ClassifyAddress(const sockaddr* address, socklen_t length) {
  if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    return ClassifyV4(
        ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    return ClassifyV6(
        reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  return AddressClass::kForbidden;
}

absl::Status CheckConnectAddress(const std::string& scheme,
                                 const sockaddr* address, socklen_t length,
                                 bool allow_private) {
  AddressClass kind = ClassifyAddress(address, length);
  if (kind == AddressClass::kLoopback) return absl::OkStatus();
  if (scheme != "https") {
    return absl::PermissionDeniedError(
        absl::StrCat("refusing plain http to ", Describe(address),
                     ": only loopback hosts may use http; use https"));
  }
  switch (kind) {
    case AddressClass::kPublic:
      return absl::OkStatus();
    case AddressClass::kPrivate:
    case AddressClass::kLinkLocal:
      if (allow_private) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(
          "refusing to connect to private or link-local address ",
          Describe(address),
          ": set allow_private_network = true on the credential if intended"));
    default:
      return absl::PermissionDeniedError(
          absl::StrCat("refusing to connect to ", Describe(address)));
  }
}

}  // namespace mcpcred

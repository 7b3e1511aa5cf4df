#include "agent/policy/peer_table.h"

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

TEST(PeerTableTest, LooksUpByGrpcFdPeerString) {
  PeerTable table;
  table.Record(7, {42, 1000, 1000, "/bin/sh"});
  EXPECT_EQ(table.Lookup("fd:7").pid, 42);
  EXPECT_EQ(table.Lookup("fd:7").executable, "/bin/sh");
  table.Record(7, {43, 1000, 1000, "/bin/bash"});  // fd number reused
  EXPECT_EQ(table.Lookup("fd:7").pid, 43);
}

TEST(PeerTableTest, UnknownPeersAreMarked) {
  PeerTable table;
  EXPECT_EQ(table.Lookup("fd:9").pid, 0);
  EXPECT_EQ(table.Lookup("ipv4:127.0.0.1:5").uid, static_cast<uid_t>(-1));
  EXPECT_EQ(table.Lookup("fd:abc").pid, 0);
}

}  // namespace
}  // namespace mcpcred

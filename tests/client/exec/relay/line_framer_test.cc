#include "relay/line_framer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::exec::relay {
namespace {

using ::testing::ElementsAre;

struct Collected {
  std::vector<std::string> lines;
  std::vector<uint64_t> overflows;
};

LineFramer Collector(Collected* out, size_t max_line = kDefaultMaxLine) {
  return LineFramer(
      max_line, [out](std::string_view line) { out->lines.emplace_back(line); },
      [out](uint64_t length) { out->overflows.push_back(length); });
}

TEST(LineFramerTest, SplitsOnNewlinesAtEverySplitPoint) {
  const std::string stream =
      "{\"jsonrpc\":\"2.0\",\"id\":1}\n\n{\"a\":\"x\\ny\"}\r\nlast\n";
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    for (size_t cut2 = cut; cut2 <= stream.size(); ++cut2) {
      Collected got;
      LineFramer framer = Collector(&got);
      framer.Write(std::string_view(stream).substr(0, cut));
      framer.Write(std::string_view(stream).substr(cut, cut2 - cut));
      framer.Write(std::string_view(stream).substr(cut2));
      framer.Finish();
      EXPECT_THAT(got.lines, ElementsAre("{\"jsonrpc\":\"2.0\",\"id\":1}", "",
                                         "{\"a\":\"x\\ny\"}\r", "last"))
          << "cut at " << cut << " and " << cut2;
      EXPECT_TRUE(got.overflows.empty());
    }
  }
}

TEST(LineFramerTest, MultiByteCharactersSplitAcrossChunksArriveWhole) {
  // "é" (2 bytes), "€" (3 bytes), "😀" (4 bytes), fed a byte at a time.
  const std::string line =
      "{\"text\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}";
  Collected got;
  LineFramer framer = Collector(&got);
  for (char byte : line + "\n") framer.Write(std::string_view(&byte, 1));
  EXPECT_THAT(got.lines, ElementsAre(line));
}

TEST(LineFramerTest, LastLineWithoutNewlineIsDeliveredAtFinish) {
  Collected got;
  LineFramer framer = Collector(&got);
  framer.Write("one\ntwo");
  EXPECT_THAT(got.lines, ElementsAre("one"));
  EXPECT_EQ(framer.pending(), 3u);
  framer.Finish();
  EXPECT_THAT(got.lines, ElementsAre("one", "two"));
  framer.Finish();  // nothing more
  EXPECT_EQ(got.lines.size(), 2u);
}

TEST(LineFramerTest, HugeLineIsDroppedAndReportedOnceWithItsLength) {
  Collected got;
  LineFramer framer = Collector(&got, /*max_line=*/16);
  framer.Write("short\n");
  framer.Write(std::string(10, 'a'));
  framer.Write(std::string(10, 'b'));  // past the cap: dropped from here
  EXPECT_EQ(framer.pending(), 0u) << "an oversized line is never held";
  framer.Write(std::string(1000, 'c'));
  framer.Write("d\nafter\n");
  EXPECT_THAT(got.lines, ElementsAre("short", "after"));
  EXPECT_THAT(got.overflows, ElementsAre(1021u));
}

TEST(LineFramerTest, HugeLineInOneChunkAndAtTheEnd) {
  Collected got;
  LineFramer framer = Collector(&got, /*max_line=*/4);
  framer.Write("12345\n1234\n123456");
  framer.Finish();
  EXPECT_THAT(got.lines, ElementsAre("1234"));
  EXPECT_THAT(got.overflows, ElementsAre(5u, 6u));
}

}  // namespace
}  // namespace mcpcred::exec::relay

// The SSE parser: every split point of a stream gives the same events; the
// WHATWG rules for fields, comments, ids, retry, line endings and the BOM.
#include "sse_parser.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::remote {
namespace {

using ::testing::ElementsAre;
using ::testing::FieldsAre;

struct Parsed {
  std::vector<SseEvent> events;
  std::string last_id;
  bool has_id = false;
  std::optional<uint64_t> retry;
};

Parsed ParseChunks(const std::vector<std::string>& chunks) {
  Parsed parsed;
  SseParser parser(
      [&](const SseEvent& event) { parsed.events.push_back(event); });
  for (const std::string& chunk : chunks) parser.Feed(chunk);
  parsed.last_id = parser.last_event_id();
  parsed.has_id = parser.has_event_id();
  parsed.retry = parser.retry_ms();
  return parsed;
}

Parsed Parse(const std::string& stream) { return ParseChunks({stream}); }

TEST(SseParserTest, OneEvent) {
  Parsed parsed = Parse("event: message\ndata: {\"a\":1}\nid: 7\n\n");
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_THAT(parsed.events[0], FieldsAre("message", "{\"a\":1}", "7"));
  EXPECT_EQ(parsed.last_id, "7");
}

TEST(SseParserTest, TypeDefaultsToMessage) {
  Parsed parsed = Parse("data: x\n\n");
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].type, "message");
}

TEST(SseParserTest, MultiLineDataJoinsWithNewlines) {
  Parsed parsed = Parse("data: one\ndata:two\ndata:  three\ndata\n\n");
  ASSERT_EQ(parsed.events.size(), 1u);
  // One leading space is dropped, a second one kept; bare `data` adds "".
  EXPECT_EQ(parsed.events[0].data, "one\ntwo\n three\n");
}

TEST(SseParserTest, CommentsAndUnknownFieldsAreIgnored) {
  Parsed parsed =
      Parse(": keep-alive\n\n:another\nfoo: bar\ndata: x\n: mid\n\n");
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].data, "x");
}

TEST(SseParserTest, EventWithoutDataIsNotDispatchedButItsIdCounts) {
  // The 2025-11-25 priming event: an id and empty data.
  Parsed parsed = Parse("id: prime-1\ndata:\n\nid: 2\n\nevent: x\n\n");
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].data, "");
  EXPECT_EQ(parsed.events[0].id, "prime-1");
  EXPECT_EQ(parsed.last_id, "2");
  EXPECT_TRUE(parsed.has_id);
}

TEST(SseParserTest, IdPersistsAndEmptyIdResets) {
  Parsed parsed = Parse("id: 5\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
  ASSERT_EQ(parsed.events.size(), 3u);
  EXPECT_EQ(parsed.events[0].id, "5");
  EXPECT_EQ(parsed.events[1].id, "5");
  EXPECT_EQ(parsed.events[2].id, "");
  EXPECT_FALSE(parsed.has_id);
}

TEST(SseParserTest, IdWithNulIsIgnored) {
  Parsed parsed = Parse(std::string("id: 1\n\nid: a\0b\ndata: x\n\n", 24));
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].id, "1");
}

TEST(SseParserTest, Retry) {
  EXPECT_EQ(Parse("retry: 1500\n\n").retry, 1500u);
  EXPECT_EQ(Parse("retry: 15x\n\n").retry, std::nullopt);
  EXPECT_EQ(Parse("retry:\n\n").retry, std::nullopt);
  EXPECT_EQ(Parse("retry: 10\nretry: -1\n\n").retry, 10u);
}

TEST(SseParserTest, LineEndings) {
  std::vector<SseEvent> expected = Parse("data: a\n\ndata: b\n\n").events;
  EXPECT_EQ(Parse("data: a\r\n\r\ndata: b\r\n\r\n").events, expected);
  EXPECT_EQ(Parse("data: a\r\rdata: b\r\r").events, expected);
  EXPECT_EQ(Parse("data: a\r\n\ndata: b\n\r\n").events, expected);
}

TEST(SseParserTest, ByteOrderMarkIsDropped) {
  Parsed parsed = ParseChunks({"\xEF", "\xBB",
                               "\xBF"
                               "data: x\n\n"});
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].data, "x");
  // Only at the very start.
  EXPECT_EQ(Parse("data: \xEF\xBB\xBFx\n\n").events[0].data, "\xEF\xBB\xBFx");
}

TEST(SseParserTest, IncompleteEventIsNotDispatched) {
  EXPECT_TRUE(Parse("data: x\n").events.empty());
  EXPECT_TRUE(Parse("data: x").events.empty());
}

// Every way of cutting a stream into two or three pieces gives the events of
// the whole stream: within fields, between CR and LF, inside UTF-8.
TEST(SseParserTest, EverySplitPointGivesTheSameEvents) {
  const std::string stream =
      "\xEF\xBB\xBF: hello\r\nevent: note\r\nid: 1\r\ndata: caf\xC3\xA9\r\n"
      "data: line2\r\n\r\nretry: 250\rid: 2\rdata: {\"k\": \"v\"}\r\r"
      "data: last\n\n";
  Parsed whole = Parse(stream);
  ASSERT_EQ(whole.events.size(), 3u);
  EXPECT_THAT(whole.events[0], FieldsAre("note", "caf\xC3\xA9\nline2", "1"));
  for (size_t i = 0; i <= stream.size(); ++i) {
    for (size_t j = i; j <= stream.size(); ++j) {
      Parsed split = ParseChunks(
          {stream.substr(0, i), stream.substr(i, j - i), stream.substr(j)});
      ASSERT_EQ(split.events, whole.events) << "split at " << i << ", " << j;
      ASSERT_EQ(split.last_id, "2");
      ASSERT_EQ(split.retry, 250u);
    }
  }
}

TEST(SseParserTest, ByteAtATime) {
  const std::string stream = "id: 9\r\ndata: a\r\n\r\ndata: b\n\n";
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  EXPECT_EQ(ParseChunks(bytes).events, Parse(stream).events);
}

}  // namespace
}  // namespace mcpcred::remote

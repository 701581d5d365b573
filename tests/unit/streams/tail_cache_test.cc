// TailCache: whatever it serves equals what the log's ReadAll returns for
// the same range and filter; positions older than the ring go to the log.
#include "services/api/tail_cache.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/api/event_batch_encoding.h"
#include "services/api/recorded_event.h"
#include "storage/memory_event_log.h"

namespace coopcraft::api {
namespace {

constexpr size_t kCapacity = 64;

class TailCacheTest : public ::testing::Test {
 protected:
  // Appends `count` events spread over three streams and two types.
  void AppendEvents(int count) {
    for (int i = 0; i < count; ++i) {
      std::vector<storage::NewEvent> events(1);
      events[0].type = i % 2 == 0 ? "t.Even" : "t.Odd";
      events[0].payload = absl::StrCat("payload-", appended_);
      ++appended_;
      ASSERT_TRUE(log_.Append(absl::StrCat("stream-", i % 3, "-x"),
                              storage::ExpectedRevision::Any(),
                              std::move(events))
                      .ok());
    }
  }

  // Checks the cache's answer for [from, head] against ReadAll's.
  void ExpectSameAsLog(uint64_t from, const storage::ReadAllOptions& filter) {
    const uint64_t head = log_.HeadPosition();
    auto cached = cache_.Read(from, head, filter);
    ASSERT_TRUE(cached.ok()) << cached.status();
    ASSERT_TRUE(cached->has_value()) << "from " << from;
    storage::ReadAllOptions options = filter;
    options.from_position = from;
    auto direct = log_.ReadAll(options);
    ASSERT_TRUE(direct.ok());
    EXPECT_EQ((*cached)->next_position, direct->next_position)
        << "from " << from;
    ASSERT_EQ((*cached)->events.size(), direct->events.size())
        << "from " << from;
    for (size_t i = 0; i < direct->events.size(); ++i) {
      v1::RecordedEvent expected;
      ToRecordedEvent(direct->events[i], &expected);
      const TailEvent& served = *(*cached)->events[i];
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
          served.event, expected));
      // The shared encoding is that event, as a batch entry.
      EventBatchEncoder encoder;
      encoder.AddEntry(served.entry);
      v1::SubscribeResponse one;
      *one.mutable_events()->add_events() = expected;
      std::vector<grpc::Slice> slices;
      ASSERT_TRUE(encoder.Take().Dump(&slices).ok());
      std::string bytes;
      for (const grpc::Slice& slice : slices) {
        bytes.append(reinterpret_cast<const char*>(slice.begin()),
                     slice.size());
      }
      EXPECT_EQ(bytes, one.SerializeAsString())
          << "position " << expected.position();
    }
  }

  storage::MemoryEventLog log_;
  TailCache cache_{&log_, kCapacity};
  int appended_ = 0;
};

TEST_F(TailCacheTest, ServesTheTailExactlyAsReadAllWouldWithEveryFilter) {
  AppendEvents(40);
  storage::ReadAllOptions all;
  all.max_count = 1000;
  all.max_scan = 1000;
  storage::ReadAllOptions odd = all;
  odd.event_types = {"t.Odd"};
  storage::ReadAllOptions one_stream = all;
  one_stream.stream_prefix = "stream-1";
  storage::ReadAllOptions bounded = all;
  bounded.max_count = 3;
  bounded.max_scan = 7;
  for (uint64_t from = 1; from <= 41; ++from) {
    ExpectSameAsLog(from, all);
    ExpectSameAsLog(from, odd);
    ExpectSameAsLog(from, one_stream);
    ExpectSameAsLog(from, bounded);
  }
  // New commits are picked up by the next read.
  AppendEvents(10);
  ExpectSameAsLog(35, all);
  ExpectSameAsLog(51, all);
}

TEST_F(TailCacheTest, PositionsOlderThanTheRingAreLeftToTheLog) {
  AppendEvents(static_cast<int>(kCapacity) * 2);
  const uint64_t head = log_.HeadPosition();
  storage::ReadAllOptions all;
  auto old = cache_.Read(1, head, all);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value());
  // The newest kCapacity positions are served.
  ExpectSameAsLog(head - kCapacity + 1, all);
  auto just_before = cache_.Read(head - kCapacity, head, all);
  ASSERT_TRUE(just_before.ok());
  EXPECT_FALSE(just_before->has_value());
}

TEST_F(TailCacheTest, ReadsBeyondTheHeadReturnNothingAndKeepThePosition) {
  AppendEvents(5);
  storage::ReadAllOptions all;
  auto read = cache_.Read(6, log_.HeadPosition(), all);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  EXPECT_TRUE((*read)->events.empty());
  EXPECT_EQ((*read)->next_position, 6u);
  AppendEvents(2);
  ExpectSameAsLog(6, all);
}

TEST(TailCacheOffTest, ZeroCapacityLeavesEveryReadToTheLog) {
  storage::MemoryEventLog log;
  std::vector<storage::NewEvent> events(1);
  events[0].type = "t.A";
  events[0].payload = "x";
  ASSERT_TRUE(
      log.Append("s", storage::ExpectedRevision::Any(), std::move(events))
          .ok());
  TailCache cache(&log, 0);
  auto read = cache.Read(1, log.HeadPosition(), storage::ReadAllOptions{});
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->has_value());
}

}  // namespace
}  // namespace coopcraft::api

// The EventLog contract reading: what an append stores, and how ReadStream,
// ReadAll, ScanAll, ReadEvent and StreamRevision return it. Runs over every
// implementation (tests/unit/storage/log_implementations.h).

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/unit/storage/event_log_contract_fixture.h"
#include "tests/unit/storage/log_implementations.h"
#include "tests/unit/storage/storage_test_util.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using ::testing::ElementsAre;
using testing::Event;
using testing::Events;
using ::testing::IsEmpty;
using testing::kId1;
using testing::Payloads;
using testing::Positions;
using testing::StatusIs;
using testing::StatusIsWith;

template <typename Logs>
class EventLogReadTest : public testing::EventLogContractTest<Logs> {};
TYPED_TEST_SUITE(EventLogReadTest, testing::LogImplementations,
                 testing::LogImplementationNames);

TYPED_TEST(EventLogReadTest, FirstAppendGetsPositionOneAndRevisionZero) {
  AppendResult result = this->MustAppend("project-1", Events({"a", "b"}),
                                         ExpectedRevision::NoStream());
  EXPECT_EQ(result.first_position, 1u);
  EXPECT_EQ(result.last_position, 2u);
  EXPECT_EQ(result.next_revision, 2u);
  EXPECT_EQ(this->log().HeadPosition(), 2u);
}

TYPED_TEST(EventLogReadTest, EmptyLogHasHeadZero) {
  EXPECT_EQ(this->log().HeadPosition(), 0u);
  EXPECT_THAT(Payloads(this->MustReadAll()), IsEmpty());
}

TYPED_TEST(EventLogReadTest, StoredRecordCarriesEveryField) {
  NewEvent event = Event("body", "coopcraft.v1.CandidateSelected",
                         "0B7E2C8E-4F3A-4C1D-9E2B-6A5F0D1C2B3A");
  event.metadata.set_actor("coach-7");
  event.metadata.set_correlation_id("flow-1");
  event.metadata.set_causation_id("cmd-9");
  absl::Time before = absl::Now();
  this->MustAppend("candidate-1", {event});

  auto record = this->log().ReadEvent(kId1);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->position(), 1u);
  EXPECT_EQ(record->stream(), "candidate-1");
  EXPECT_EQ(record->revision(), 0u);
  EXPECT_EQ(record->event_id(), kId1);  // stored lower-case
  EXPECT_EQ(record->type(), "coopcraft.v1.CandidateSelected");
  EXPECT_EQ(record->payload(), "body");
  EXPECT_EQ(record->metadata().actor(), "coach-7");
  EXPECT_EQ(record->metadata().correlation_id(), "flow-1");
  EXPECT_EQ(record->metadata().causation_id(), "cmd-9");
  EXPECT_GE(record->recorded_at_micros(), absl::ToUnixMicros(before) - 1);
  EXPECT_EQ(record->prev_hash(), std::string(32, '\0'));
  EXPECT_EQ(record->hash().size(), 32u);
}

TYPED_TEST(EventLogReadTest, ReadStreamForwardsStartsAtRevision) {
  this->MustAppend("s", Events({"a", "b", "c"}));
  EXPECT_THAT(Payloads(this->MustReadStream("s", 1)), ElementsAre("b", "c"));
  EXPECT_THAT(Payloads(this->MustReadStream("s", 0, Direction::kForwards, 2)),
              ElementsAre("a", "b"));
}

TYPED_TEST(EventLogReadTest, ReadStreamBackwardsFromEndIsNewestFirst) {
  this->MustAppend("s", Events({"a", "b", "c"}));
  EXPECT_THAT(Payloads(this->MustReadStream("s", EventLog::kEndOfStream,
                                            Direction::kBackwards, 2)),
              ElementsAre("c", "b"));
  EXPECT_THAT(Payloads(this->MustReadStream("s", 1, Direction::kBackwards)),
              ElementsAre("b", "a"));
}

TYPED_TEST(EventLogReadTest, ReadStreamOfUnknownStreamOrPastEndIsEmpty) {
  this->MustAppend("s", Events({"a"}));
  EXPECT_THAT(Payloads(this->MustReadStream("nobody", 0)), IsEmpty());
  EXPECT_THAT(Payloads(this->MustReadStream("s", 1)), IsEmpty());
}

TYPED_TEST(EventLogReadTest, ReadStreamSeesOnlyItsStream) {
  this->MustAppend("a", Events({"a0"}));
  this->MustAppend("b", Events({"b0"}));
  this->MustAppend("a", Events({"a1"}));
  EXPECT_THAT(Positions(this->MustReadStream("a", 0)), ElementsAre(1, 3));
}

TYPED_TEST(EventLogReadTest, ReadStreamEndsAfterTheEventThatReachesMaxBytes) {
  const std::string a(1000, 'a'), b(1000, 'b'), c(1000, 'c'), d(1000, 'd');
  this->MustAppend("s", Events({a, b, c}));
  // Another stream's events, between, count for nothing.
  this->MustAppend("other", Events({std::string(5000, 'x')}));
  this->MustAppend("s", Events({d}));
  auto read = [this](uint64_t from, Direction direction, size_t max_count,
                     size_t max_bytes) {
    auto page =
        this->log().ReadStream("s", from, direction, max_count, max_bytes);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? Payloads(*page) : std::vector<std::string>();
  };
  const auto forwards = Direction::kForwards;
  const auto backwards = Direction::kBackwards;
  // The first event comes whatever its size.
  EXPECT_EQ(read(0, forwards, 10, 1), std::vector<std::string>({a}));
  // a stays below 1,500 bytes; b reaches it.
  EXPECT_EQ(read(0, forwards, 10, 1500), std::vector<std::string>({a, b}));
  EXPECT_EQ(read(2, forwards, 10, 1500), std::vector<std::string>({c, d}));
  EXPECT_EQ(read(EventLog::kEndOfStream, backwards, 10, 1500),
            std::vector<std::string>({d, c}));
  // max_count still ends a page first; 0 is no bound.
  EXPECT_EQ(read(0, forwards, 1, 1500), std::vector<std::string>({a}));
  EXPECT_EQ(read(0, forwards, 10, 0), std::vector<std::string>({a, b, c, d}));
}

// Across the chunks a long page is read in: the page ends exactly at the
// event whose bytes reach the bound, in both directions.
TYPED_TEST(EventLogReadTest, ReadStreamByteBoundHoldsAcrossLongPages) {
  std::vector<std::string> payloads;
  for (int i = 0; i < 300; ++i) {
    payloads.push_back(
        std::string(50 + i % 7, static_cast<char>('a' + i % 26)));
  }
  this->MustAppend("s", Events(payloads));
  for (Direction direction : {Direction::kForwards, Direction::kBackwards}) {
    const uint64_t from =
        direction == Direction::kForwards ? 0 : EventLog::kEndOfStream;
    const std::vector<EventRecord> all =
        this->MustReadStream("s", from, direction, 1000);
    ASSERT_EQ(all.size(), 300u);
    for (size_t last : {0u, 15u, 16u, 47u, 200u}) {
      size_t bytes = 0;
      for (size_t i = 0; i <= last; ++i) bytes += all[i].ByteSizeLong();
      auto page = this->log().ReadStream("s", from, direction, 1000, bytes);
      ASSERT_TRUE(page.ok()) << page.status();
      ASSERT_EQ(page->size(), last + 1) << "last " << last;
      EXPECT_EQ(page->back().revision(), all[last].revision());
    }
  }
}

TYPED_TEST(EventLogReadTest, ReadAllReturnsCommitOrderAcrossStreams) {
  this->MustAppend("a", Events({"1"}));
  this->MustAppend("b", Events({"2", "3"}));
  this->MustAppend("a", Events({"4"}));
  EXPECT_THAT(Payloads(this->MustReadAll()), ElementsAre("1", "2", "3", "4"));
}

TYPED_TEST(EventLogReadTest, ReadAllStopsAtMaxCountAndResumes) {
  this->MustAppend("s", Events({"1", "2", "3", "4", "5"}));
  auto first = this->log().ReadAll({.from_position = 1, .max_count = 2});
  ASSERT_TRUE(first.ok());
  EXPECT_THAT(Payloads(first->events), ElementsAre("1", "2"));
  EXPECT_EQ(first->next_position, 3u);
  EXPECT_THAT(Payloads(this->MustReadAll({.from_position = 3})),
              ElementsAre("3", "4", "5"));
}

TYPED_TEST(EventLogReadTest, ReadAllFiltersByStreamPrefix) {
  this->MustAppend("project-1", Events({"p1"}));
  this->MustAppend("candidate-1", Events({"c1"}));
  this->MustAppend("project-2", Events({"p2"}));
  EXPECT_THAT(Payloads(this->MustReadAll({.stream_prefix = "project-"})),
              ElementsAre("p1", "p2"));
}

TYPED_TEST(EventLogReadTest, ReadAllFiltersByEventType) {
  this->MustAppend("s",
                   {Event("1", "t.A"), Event("2", "t.B"), Event("3", "t.C")});
  EXPECT_THAT(Payloads(this->MustReadAll({.event_types = {"t.C", "t.A"}})),
              ElementsAre("1", "3"));
}

TYPED_TEST(EventLogReadTest, ReadAllThatFiltersEverythingStillAdvances) {
  this->MustAppend("s", Events({"1", "2", "3", "4", "5"}));
  auto scan = this->log().ReadAll({.max_scan = 3, .stream_prefix = "none"});
  ASSERT_TRUE(scan.ok());
  EXPECT_THAT(Payloads(scan->events), IsEmpty());
  EXPECT_EQ(scan->next_position, 4u);
  scan = this->log().ReadAll({.from_position = 4, .stream_prefix = "none"});
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->next_position, 6u);  // head + 1
}

TYPED_TEST(EventLogReadTest, ScanAllVisitsWhatReadAllReturns) {
  this->MustAppend("project-1", Events({"1", "2"}));
  this->MustAppend("other", Events({"3"}));
  this->MustAppend("project-2", Events({"4"}));
  ReadAllOptions options{.max_count = 2, .stream_prefix = "project-"};
  std::vector<std::string> seen;
  auto next = this->log().ScanAll(options, [&](const EventRecord& record) {
    seen.push_back(record.payload());
    return absl::OkStatus();
  });
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_THAT(seen, ElementsAre("1", "2"));
  EXPECT_EQ(*next, this->log().ReadAll(options)->next_position);
}

TYPED_TEST(EventLogReadTest, ScanAllStopsAtVisitorError) {
  this->MustAppend("s", Events({"1", "2", "3"}));
  int visits = 0;
  auto next = this->log().ScanAll({}, [&](const EventRecord&) {
    return ++visits == 2 ? absl::CancelledError("enough") : absl::OkStatus();
  });
  EXPECT_THAT(next, StatusIs(absl::StatusCode::kCancelled));
  EXPECT_EQ(visits, 2);
}

// Payloads of 1,000 bytes, one of 5,000 on another stream between them.
TYPED_TEST(EventLogReadTest, ReadAllEndsAfterTheMatchThatReachesMaxBytes) {
  const std::string a(1000, 'a'), b(1000, 'b'), c(1000, 'c'), d(1000, 'd');
  this->MustAppend("s", Events({a, b}));
  this->MustAppend("other", Events({std::string(5000, 'x')}));
  this->MustAppend("s", Events({c, d}));
  struct Case {
    uint64_t from;
    size_t max_bytes;
    std::string prefix;
    std::vector<std::string> payloads;
    uint64_t next;
  };
  for (const Case& bound :
       std::vector<Case>{// The first match comes whatever its size.
                         {1, 1, "s", {a}, 2},
                         // a stays below 1,500 bytes; b reaches it.
                         {1, 1500, "s", {a, b}, 3},
                         // What the filter leaves out does not count.
                         {3, 1500, "s", {c, d}, 6},
                         {1, 2500, "", {a, b, std::string(5000, 'x')}, 4},
                         // 0: no bound.
                         {1, 0, "s", {a, b, c, d}, 6}}) {
    SCOPED_TRACE(absl::StrCat("from ", bound.from, " max_bytes ",
                              bound.max_bytes, " prefix ", bound.prefix));
    const ReadAllOptions options{.from_position = bound.from,
                                 .max_bytes = bound.max_bytes,
                                 .stream_prefix = bound.prefix};
    auto read = this->log().ReadAll(options);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(Payloads(read->events), bound.payloads);
    EXPECT_EQ(read->next_position, bound.next);
    std::vector<std::string> visited;
    auto scanned =
        this->log().ScanAll(options, [&visited](const EventRecord& record) {
          visited.push_back(record.payload());
          return absl::OkStatus();
        });
    ASSERT_TRUE(scanned.ok()) << scanned.status();
    EXPECT_EQ(visited, bound.payloads);
    EXPECT_EQ(*scanned, bound.next);
  }
}

TYPED_TEST(EventLogReadTest, ReadAllFromPastHeadIsEmpty) {
  this->MustAppend("s", Events({"1"}));
  auto scan = this->log().ReadAll({.from_position = 2});
  ASSERT_TRUE(scan.ok());
  EXPECT_THAT(Payloads(scan->events), IsEmpty());
  EXPECT_EQ(scan->next_position, 2u);
}

TYPED_TEST(EventLogReadTest, ReadAllRejectsZeroBounds) {
  EXPECT_THAT(
      this->log().ReadAll({.from_position = 0}),
      StatusIsWith(absl::StatusCode::kInvalidArgument, "from_position"));
  EXPECT_THAT(this->log().ReadAll({.max_count = 0}),
              StatusIsWith(absl::StatusCode::kInvalidArgument, "max_count"));
  EXPECT_THAT(this->log().ReadAll({.max_scan = 0}),
              StatusIsWith(absl::StatusCode::kInvalidArgument, "max_scan"));
}

TYPED_TEST(EventLogReadTest, ReadEventOfUnknownIdIsNotFound) {
  EXPECT_THAT(this->log().ReadEvent(kId1),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(this->log().ReadEvent("nope"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TYPED_TEST(EventLogReadTest, StreamRevisionIsLastRevisionOrNone) {
  EXPECT_EQ(this->log().StreamRevision("s").value(), std::nullopt);
  this->MustAppend("s", Events({"a", "b"}));
  EXPECT_EQ(this->log().StreamRevision("s").value(), 1u);
}

}  // namespace
}  // namespace coopcraft::storage

// The EventLog contract (storage/event_log.h), run over every
// implementation so that tests written against MemoryEventLog hold for the
// durable log too.
#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/unit/storage/log_implementations.h"
#include "tests/unit/storage/storage_test_util.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using ::testing::ElementsAre;
using testing::Event;
using testing::Events;
using ::testing::IsEmpty;
using testing::Payloads;
using testing::Positions;
using testing::StatusIs;
using testing::StatusIsWith;

constexpr char kId1[] = "0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3a";
constexpr char kId2[] = "1c8f3d9f-5a4b-4d2e-8f3c-7b6a1e2d3c4b";
constexpr char kId3[] = "2d9a4e0a-6b5c-4e3f-9a4d-8c7b2f3e4d5c";

template <typename Logs>
class EventLogContractTest : public ::testing::Test {
 protected:
  EventLog& log() {
    if (log_ == nullptr) log_ = logs_.Make(EventLogLimits());
    return *log_;
  }
  void UseLimits(const EventLogLimits& limits) { log_ = logs_.Make(limits); }

  AppendResult MustAppend(std::string_view stream, std::vector<NewEvent> events,
                          ExpectedRevision expected = ExpectedRevision::Any()) {
    auto result = log().Append(stream, expected, std::move(events));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(AppendResult{});
  }
  std::vector<EventRecord> MustReadAll(ReadAllOptions options = {}) {
    auto result = log().ReadAll(options);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->events : std::vector<EventRecord>();
  }
  std::vector<EventRecord> MustReadStream(
      std::string_view stream, uint64_t from,
      Direction direction = Direction::kForwards, size_t max_count = 100) {
    auto result = log().ReadStream(stream, from, direction, max_count);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : std::vector<EventRecord>();
  }

  Logs logs_;
  std::unique_ptr<EventLog> log_;
};

TYPED_TEST_SUITE(EventLogContractTest, testing::LogImplementations,
                 testing::LogImplementationNames);

// --- Append and read ---

TYPED_TEST(EventLogContractTest, FirstAppendGetsPositionOneAndRevisionZero) {
  AppendResult result = this->MustAppend("project-1", Events({"a", "b"}),
                                         ExpectedRevision::NoStream());
  EXPECT_EQ(result.first_position, 1u);
  EXPECT_EQ(result.last_position, 2u);
  EXPECT_EQ(result.next_revision, 2u);
  EXPECT_EQ(this->log().HeadPosition(), 2u);
}

TYPED_TEST(EventLogContractTest, EmptyLogHasHeadZero) {
  EXPECT_EQ(this->log().HeadPosition(), 0u);
  EXPECT_THAT(Payloads(this->MustReadAll()), IsEmpty());
}

TYPED_TEST(EventLogContractTest, StoredRecordCarriesEveryField) {
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

TYPED_TEST(EventLogContractTest, ReadStreamForwardsStartsAtRevision) {
  this->MustAppend("s", Events({"a", "b", "c"}));
  EXPECT_THAT(Payloads(this->MustReadStream("s", 1)), ElementsAre("b", "c"));
  EXPECT_THAT(Payloads(this->MustReadStream("s", 0, Direction::kForwards, 2)),
              ElementsAre("a", "b"));
}

TYPED_TEST(EventLogContractTest, ReadStreamBackwardsFromEndIsNewestFirst) {
  this->MustAppend("s", Events({"a", "b", "c"}));
  EXPECT_THAT(Payloads(this->MustReadStream("s", EventLog::kEndOfStream,
                                            Direction::kBackwards, 2)),
              ElementsAre("c", "b"));
  EXPECT_THAT(Payloads(this->MustReadStream("s", 1, Direction::kBackwards)),
              ElementsAre("b", "a"));
}

TYPED_TEST(EventLogContractTest, ReadStreamOfUnknownStreamOrPastEndIsEmpty) {
  this->MustAppend("s", Events({"a"}));
  EXPECT_THAT(Payloads(this->MustReadStream("nobody", 0)), IsEmpty());
  EXPECT_THAT(Payloads(this->MustReadStream("s", 1)), IsEmpty());
}

TYPED_TEST(EventLogContractTest, ReadStreamSeesOnlyItsStream) {
  this->MustAppend("a", Events({"a0"}));
  this->MustAppend("b", Events({"b0"}));
  this->MustAppend("a", Events({"a1"}));
  EXPECT_THAT(Positions(this->MustReadStream("a", 0)), ElementsAre(1, 3));
}

TYPED_TEST(EventLogContractTest, ReadAllReturnsCommitOrderAcrossStreams) {
  this->MustAppend("a", Events({"1"}));
  this->MustAppend("b", Events({"2", "3"}));
  this->MustAppend("a", Events({"4"}));
  EXPECT_THAT(Payloads(this->MustReadAll()), ElementsAre("1", "2", "3", "4"));
}

TYPED_TEST(EventLogContractTest, ReadAllStopsAtMaxCountAndResumes) {
  this->MustAppend("s", Events({"1", "2", "3", "4", "5"}));
  auto first = this->log().ReadAll({.from_position = 1, .max_count = 2});
  ASSERT_TRUE(first.ok());
  EXPECT_THAT(Payloads(first->events), ElementsAre("1", "2"));
  EXPECT_EQ(first->next_position, 3u);
  EXPECT_THAT(Payloads(this->MustReadAll({.from_position = 3})),
              ElementsAre("3", "4", "5"));
}

TYPED_TEST(EventLogContractTest, ReadAllFiltersByStreamPrefix) {
  this->MustAppend("project-1", Events({"p1"}));
  this->MustAppend("candidate-1", Events({"c1"}));
  this->MustAppend("project-2", Events({"p2"}));
  EXPECT_THAT(Payloads(this->MustReadAll({.stream_prefix = "project-"})),
              ElementsAre("p1", "p2"));
}

TYPED_TEST(EventLogContractTest, ReadAllFiltersByEventType) {
  this->MustAppend("s",
                   {Event("1", "t.A"), Event("2", "t.B"), Event("3", "t.C")});
  EXPECT_THAT(Payloads(this->MustReadAll({.event_types = {"t.C", "t.A"}})),
              ElementsAre("1", "3"));
}

TYPED_TEST(EventLogContractTest, ReadAllThatFiltersEverythingStillAdvances) {
  this->MustAppend("s", Events({"1", "2", "3", "4", "5"}));
  auto scan = this->log().ReadAll({.max_scan = 3, .stream_prefix = "none"});
  ASSERT_TRUE(scan.ok());
  EXPECT_THAT(Payloads(scan->events), IsEmpty());
  EXPECT_EQ(scan->next_position, 4u);
  scan = this->log().ReadAll({.from_position = 4, .stream_prefix = "none"});
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->next_position, 6u);  // head + 1
}

TYPED_TEST(EventLogContractTest, ScanAllVisitsWhatReadAllReturns) {
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

TYPED_TEST(EventLogContractTest, ScanAllStopsAtVisitorError) {
  this->MustAppend("s", Events({"1", "2", "3"}));
  int visits = 0;
  auto next = this->log().ScanAll({}, [&](const EventRecord&) {
    return ++visits == 2 ? absl::CancelledError("enough") : absl::OkStatus();
  });
  EXPECT_THAT(next, StatusIs(absl::StatusCode::kCancelled));
  EXPECT_EQ(visits, 2);
}

// Payloads of 1,000 bytes, one of 5,000 on another stream between them.
TYPED_TEST(EventLogContractTest, ReadAllEndsAfterTheMatchThatReachesMaxBytes) {
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

TYPED_TEST(EventLogContractTest, ReadAllFromPastHeadIsEmpty) {
  this->MustAppend("s", Events({"1"}));
  auto scan = this->log().ReadAll({.from_position = 2});
  ASSERT_TRUE(scan.ok());
  EXPECT_THAT(Payloads(scan->events), IsEmpty());
  EXPECT_EQ(scan->next_position, 2u);
}

TYPED_TEST(EventLogContractTest, ReadAllRejectsZeroBounds) {
  EXPECT_THAT(
      this->log().ReadAll({.from_position = 0}),
      StatusIsWith(absl::StatusCode::kInvalidArgument, "from_position"));
  EXPECT_THAT(this->log().ReadAll({.max_count = 0}),
              StatusIsWith(absl::StatusCode::kInvalidArgument, "max_count"));
  EXPECT_THAT(this->log().ReadAll({.max_scan = 0}),
              StatusIsWith(absl::StatusCode::kInvalidArgument, "max_scan"));
}

TYPED_TEST(EventLogContractTest, ReadEventOfUnknownIdIsNotFound) {
  EXPECT_THAT(this->log().ReadEvent(kId1),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(this->log().ReadEvent("nope"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TYPED_TEST(EventLogContractTest, StreamRevisionIsLastRevisionOrNone) {
  EXPECT_EQ(this->log().StreamRevision("s").value(), std::nullopt);
  this->MustAppend("s", Events({"a", "b"}));
  EXPECT_EQ(this->log().StreamRevision("s").value(), 1u);
}

// --- Expected revision ---

TYPED_TEST(EventLogContractTest,
           NoStreamOnExistingStreamIsAbortedWithRevision) {
  this->MustAppend("s", Events({"a", "b"}));
  auto result =
      this->log().Append("s", ExpectedRevision::NoStream(), Events({"c"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), 1u);
}

TYPED_TEST(EventLogContractTest, StreamExistsOnNewStreamIsAbortedWithNone) {
  auto result =
      this->log().Append("s", ExpectedRevision::StreamExists(), Events({"a"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), std::nullopt);
  EXPECT_TRUE(IsRevisionConflict(result.status()));
}

TYPED_TEST(EventLogContractTest, StreamExistsOnExistingStreamAppends) {
  this->MustAppend("s", Events({"a"}));
  EXPECT_EQ(
      this->MustAppend("s", Events({"b"}), ExpectedRevision::StreamExists())
          .next_revision,
      2u);
}

TYPED_TEST(EventLogContractTest, ExactMatchingRevisionAppends) {
  this->MustAppend("s", Events({"a", "b"}));
  AppendResult result =
      this->MustAppend("s", Events({"c"}), ExpectedRevision::Exact(1));
  EXPECT_EQ(result.first_position, 3u);
  EXPECT_EQ(result.next_revision, 3u);
}

TYPED_TEST(EventLogContractTest, ExactStaleRevisionIsAbortedWithCurrent) {
  this->MustAppend("s", Events({"a", "b", "c"}));
  auto result =
      this->log().Append("s", ExpectedRevision::Exact(0), Events({"d"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), 2u);
  EXPECT_TRUE(IsRevisionConflict(result.status()));
}

TYPED_TEST(EventLogContractTest, ExactOnMissingStreamIsAbortedWithNone) {
  auto result =
      this->log().Append("s", ExpectedRevision::Exact(0), Events({"a"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), std::nullopt);
}

TYPED_TEST(EventLogContractTest, AbortedAppendWritesNothing) {
  this->MustAppend("s", Events({"a"}));
  EXPECT_FALSE(this->log()
                   .Append("s", ExpectedRevision::NoStream(), Events({"b"}))
                   .ok());
  EXPECT_EQ(this->log().HeadPosition(), 1u);
  EXPECT_EQ(this->log().StreamRevision("s").value(), 0u);
}

TYPED_TEST(EventLogContractTest, CurrentRevisionOfOtherStatusIsNone) {
  EXPECT_EQ(CurrentRevisionOf(absl::OkStatus()), std::nullopt);
  EXPECT_EQ(CurrentRevisionOf(absl::AbortedError("x")), std::nullopt);
  EXPECT_FALSE(IsRevisionConflict(absl::AbortedError("x")));
}

// --- Idempotency ---

TYPED_TEST(EventLogContractTest, RetryReturnsOriginalResultAndWritesNothing) {
  this->MustAppend("other", Events({"x"}));
  AppendResult first =
      this->MustAppend("s", {Event("a", "t.A", kId1), Event("b", "t.A", kId2)});
  this->MustAppend("other", Events({"y"}));
  AppendResult retry =
      this->MustAppend("s", {Event("a", "t.A", kId1), Event("b", "t.A", kId2)});
  EXPECT_EQ(retry.first_position, first.first_position);
  EXPECT_EQ(retry.last_position, first.last_position);
  EXPECT_EQ(retry.next_revision, first.next_revision);
  EXPECT_FALSE(first.deduplicated);
  EXPECT_TRUE(retry.deduplicated);
  EXPECT_EQ(this->log().HeadPosition(), 4u);
}

TYPED_TEST(EventLogContractTest, RetryIgnoresExpectedRevision) {
  this->MustAppend("s", {Event("a", "t.A", kId1)},
                   ExpectedRevision::NoStream());
  this->MustAppend("s", Events({"later"}));
  AppendResult retry = this->MustAppend("s", {Event("a", "t.A", kId1)},
                                        ExpectedRevision::NoStream());
  EXPECT_EQ(retry.first_position, 1u);
  EXPECT_EQ(retry.next_revision, 1u);
}

TYPED_TEST(EventLogContractTest, RetryMatchesIdsInAnyCase) {
  this->MustAppend("s", {Event("a", "t.A", kId1)});
  AppendResult retry = this->MustAppend(
      "s", {Event("a", "t.A", "0B7E2C8E-4F3A-4C1D-9E2B-6A5F0D1C2B3A")});
  EXPECT_EQ(retry.first_position, 1u);
  EXPECT_EQ(this->log().HeadPosition(), 1u);
}

TYPED_TEST(EventLogContractTest, MixedStoredAndNewIdsAreRejected) {
  this->MustAppend("s", {Event("a", "t.A", kId1)});
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(),
                         {Event("a", "t.A", kId1), Event("b", "t.A", kId2)}),
      StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(this->log().HeadPosition(), 1u);
}

TYPED_TEST(EventLogContractTest, IdStoredInAnotherStreamIsRejected) {
  this->MustAppend("s", {Event("a", "t.A", kId1)});
  EXPECT_THAT(this->log().Append("t", ExpectedRevision::Any(),
                                 {Event("a", "t.A", kId1)}),
              StatusIsWith(absl::StatusCode::kAlreadyExists, "stream s"));
}

TYPED_TEST(EventLogContractTest, IdsInAnotherOrderAreRejected) {
  this->MustAppend("s", {Event("a", "t.A", kId1), Event("b", "t.A", kId2)});
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(),
                         {Event("b", "t.A", kId2), Event("a", "t.A", kId1)}),
      StatusIs(absl::StatusCode::kAlreadyExists));
}

TYPED_TEST(EventLogContractTest, SameIdTwiceInOneAppendIsRejected) {
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(),
                         {Event("a", "t.A", kId3), Event("b", "t.A", kId3)}),
      StatusIsWith(absl::StatusCode::kInvalidArgument, "twice"));
}

TYPED_TEST(EventLogContractTest, MalformedEventIdIsRejected) {
  for (std::string id : {"not-a-uuid", "0b7e2c8e4f3a4c1d9e2b6a5f0d1c2b3a",
                         "0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3g"}) {
    EXPECT_THAT(
        this->log().Append("s", ExpectedRevision::Any(), {Event("a", "t", id)}),
        StatusIsWith(absl::StatusCode::kInvalidArgument, "event_id"))
        << id;
  }
}

TYPED_TEST(EventLogContractTest, GeneratedIdsAreVersion7Uuids) {
  this->MustAppend("s", Events({"a", "b"}));
  std::vector<EventRecord> records = this->MustReadAll();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_NE(records[0].event_id(), records[1].event_id());
  for (const EventRecord& record : records) {
    EXPECT_THAT(record.event_id(),
                ::testing::MatchesRegex(
                    "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                    "[0-9a-f]{12}"));
  }
}

// --- Limits ---

TYPED_TEST(EventLogContractTest, EmptyAppendIsRejected) {
  EXPECT_THAT(this->log().Append("s", ExpectedRevision::Any(), {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TYPED_TEST(EventLogContractTest, EachLimitIsEnforcedAndNamed) {
  this->UseLimits({.max_events_per_append = 2,
                   .max_event_bytes = 100,
                   .max_append_bytes = 150,
                   .max_stream_id_length = 8,
                   .max_type_length = 10});
  EventLog& log = this->log();
  auto append = [&](std::string_view stream, std::vector<NewEvent> events) {
    return log.Append(stream, ExpectedRevision::Any(), std::move(events));
  };
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(
      append("s", {Event("1", "t.A"), Event("2", "t.A"), Event("3", "t.A")}),
      StatusIsWith(kInvalid, "max_events_per_append"));
  EXPECT_THAT(append("s", {Event(std::string(101, 'x'), "t.A")}),
              StatusIsWith(kInvalid, "max_event_bytes"));
  EXPECT_THAT(append("s", {Event(std::string(80, 'x'), "t.A"),
                           Event(std::string(80, 'x'), "t.A")}),
              StatusIsWith(kInvalid, "max_append_bytes"));
  EXPECT_THAT(append("123456789", {Event("1", "t.A")}),
              StatusIsWith(kInvalid, "max_stream_id_length"));
  EXPECT_THAT(append("s", {Event("1", "t.ElevenChr")}),
              StatusIsWith(kInvalid, "max_type_length"));
  EXPECT_TRUE(
      append("12345678", {Event(std::string(100, 'x'), "t.TenChars")}).ok());
}

TYPED_TEST(EventLogContractTest, MetadataCountsTowardsEventBytes) {
  this->UseLimits({.max_event_bytes = 50});
  NewEvent event = Event("small");
  event.metadata.set_actor(std::string(60, 'a'));
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(), {event}),
      StatusIsWith(absl::StatusCode::kInvalidArgument, "max_event_bytes"));
}

TYPED_TEST(EventLogContractTest, BadStreamIdsAndTypesAreRejected) {
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  EventLog& log = this->log();
  EXPECT_THAT(log.Append("", ExpectedRevision::Any(), Events({"1"})),
              StatusIsWith(kInvalid, "stream id"));
  EXPECT_THAT(log.Append("a b", ExpectedRevision::Any(), Events({"1"})),
              StatusIsWith(kInvalid, "stream id"));
  EXPECT_THAT(log.Append(std::string("a\0b", 3), ExpectedRevision::Any(),
                         Events({"1"})),
              StatusIsWith(kInvalid, "stream id"));
  EXPECT_THAT(log.Append("s", ExpectedRevision::Any(), {Event("1", "")}),
              StatusIsWith(kInvalid, "type"));
  EXPECT_THAT(log.Append("s", ExpectedRevision::Any(), {Event("1", "a/b")}),
              StatusIsWith(kInvalid, "type"));
  EXPECT_THAT(log.ReadStream("a b", 0, Direction::kForwards, 1),
              StatusIs(kInvalid));
}

TYPED_TEST(EventLogContractTest, NonUtf8MetadataIsRejected) {
  NewEvent event = Event("1");
  event.metadata.set_causation_id("\xc3\x28");
  EXPECT_THAT(this->log().Append("s", ExpectedRevision::Any(), {event}),
              StatusIsWith(absl::StatusCode::kInvalidArgument,
                           "metadata.causation_id"));
}

// --- Waiting and tailing ---

TYPED_TEST(EventLogContractTest, WaitForReachedPositionReturnsAtOnce) {
  this->MustAppend("s", Events({"1"}));
  EXPECT_TRUE(this->log().WaitForPosition(1, absl::InfinitePast()).ok());
}

TYPED_TEST(EventLogContractTest, WaitForPositionWakesOnCommit) {
  EventLog& log = this->log();
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(20));
    this->MustAppend("s", Events({"1", "2"}));
  });
  EXPECT_TRUE(log.WaitForPosition(2, absl::Now() + absl::Seconds(30)).ok());
  writer.join();
}

TYPED_TEST(EventLogContractTest, WaitForPositionTimesOut) {
  this->MustAppend("s", Events({"1"}));
  absl::Time start = absl::Now();
  EXPECT_THAT(
      this->log().WaitForPosition(2, absl::Now() + absl::Milliseconds(30)),
      StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(25));
}

TYPED_TEST(EventLogContractTest, TailListenerSeesEveryCommitInOrder) {
  std::vector<uint64_t> heads;
  TailListenerHandle handle = this->log().AddTailListener(
      [&](uint64_t head) { heads.push_back(head); });
  this->MustAppend("s", Events({"1"}));
  this->MustAppend("s", Events({"2", "3"}));
  EXPECT_THAT(heads, ElementsAre(1, 3));
}

TYPED_TEST(EventLogContractTest, ResetTailListenerIsNotCalledAgain) {
  int calls = 0;
  TailListenerHandle handle =
      this->log().AddTailListener([&](uint64_t) { ++calls; });
  this->MustAppend("s", Events({"1"}));
  handle.Reset();
  this->MustAppend("s", Events({"2"}));
  EXPECT_EQ(calls, 1);
}

TYPED_TEST(EventLogContractTest, FailedAppendDoesNotNotify) {
  int calls = 0;
  TailListenerHandle handle =
      this->log().AddTailListener([&](uint64_t) { ++calls; });
  EXPECT_FALSE(
      this->log().Append("s", ExpectedRevision::Exact(4), Events({"1"})).ok());
  EXPECT_EQ(calls, 0);
}

// --- Hash chain ---

TYPED_TEST(EventLogContractTest, EachRecordLinksToItsPredecessor) {
  this->MustAppend("a", Events({"1", "2"}));
  this->MustAppend("b", Events({"3"}));
  std::vector<EventRecord> records = this->MustReadAll();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].prev_hash(), records[0].hash());
  EXPECT_EQ(records[2].prev_hash(), records[1].hash());
  auto verification = this->log().VerifyChain(1, UINT64_MAX);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->verified_count, 3u);
  EXPECT_EQ(verification->first_bad_position, std::nullopt);
}

TYPED_TEST(EventLogContractTest, VerifyChainOfASuffixAnchorsOnItsPredecessor) {
  this->MustAppend("a", Events({"1", "2", "3", "4"}));
  auto verification = this->log().VerifyChain(3, 10);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->verified_count, 2u);
  EXPECT_EQ(verification->first_bad_position, std::nullopt);
  EXPECT_EQ(this->log().VerifyChain(9, 10)->verified_count, 0u);
}

// --- Concurrency ---

// 8 threads x 1,000 appends: each thread alternates between its private
// stream (with exact expected revisions, which must never conflict), a
// shared stream with kAny, and a shared counter stream updated by
// read-then-append with exact revisions, retried on ABORTED.
TYPED_TEST(EventLogContractTest, ConcurrentAppendsAreGapFreeOrderedLossless) {
  constexpr int kThreads = 8;
  constexpr int kAppendsPerThread = 1000;
  EventLog& log = this->log();
  struct Acked {
    uint64_t position;
    std::string stream;
    std::string payload;
  };
  std::vector<std::vector<Acked>> acked(kThreads);
  std::atomic<int> counter_updates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string own = absl::StrCat("private-", t);
      uint64_t own_events = 0;
      for (int k = 0; k < kAppendsPerThread; ++k) {
        std::string payload = absl::StrCat(t, "/", k);
        std::string stream;
        absl::StatusOr<AppendResult> result;
        if (k % 3 == 0) {
          stream = own;
          result = log.Append(stream,
                              own_events == 0
                                  ? ExpectedRevision::NoStream()
                                  : ExpectedRevision::Exact(own_events - 1),
                              Events({payload}));
          ++own_events;
        } else if (k % 3 == 1) {
          stream = "shared-any";
          result =
              log.Append(stream, ExpectedRevision::Any(), Events({payload}));
        } else {
          stream = "shared-counter";
          do {
            auto revision = log.StreamRevision(stream);
            ASSERT_TRUE(revision.ok());
            result = log.Append(stream,
                                revision->has_value()
                                    ? ExpectedRevision::Exact(**revision)
                                    : ExpectedRevision::NoStream(),
                                Events({payload}));
          } while (absl::IsAborted(result.status()));
          ++counter_updates;
        }
        ASSERT_TRUE(result.ok()) << result.status();
        ASSERT_EQ(result->first_position, result->last_position);
        acked[t].push_back({result->first_position, stream, payload});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  constexpr uint64_t kTotal = kThreads * kAppendsPerThread;
  ASSERT_EQ(log.HeadPosition(), kTotal);
  std::vector<EventRecord> records =
      this->MustReadAll({.max_count = kTotal + 1});
  ASSERT_EQ(records.size(), kTotal);
  std::map<std::string, uint64_t> next_revision;
  for (uint64_t i = 0; i < kTotal; ++i) {
    ASSERT_EQ(records[i].position(), i + 1);
    // Revisions of each stream appear in position order with no gap.
    ASSERT_EQ(records[i].revision(), next_revision[records[i].stream()]++);
  }
  for (const auto& per_thread : acked) {
    for (const Acked& ack : per_thread) {
      const EventRecord& record = records[ack.position - 1];
      ASSERT_EQ(record.stream(), ack.stream);
      ASSERT_EQ(record.payload(), ack.payload);
    }
  }
  EXPECT_EQ(next_revision["shared-counter"],
            static_cast<uint64_t>(counter_updates.load()));
  EXPECT_EQ(log.VerifyChain(1, kTotal)->verified_count, kTotal);
}

// While one thread appends two events at a time, backwards pages of 1 and
// 10 from the end are always full and hold the newest published revisions:
// a commit stored but not yet published (or landing during the read) must
// not leave the page short. Every event is in the one stream, so a
// revision's position is revision + 1.
TYPED_TEST(EventLogContractTest, BackwardsPagesAreFullWhileAppending) {
  constexpr int kAppends = 300;
  EventLog& log = this->log();
  std::atomic<bool> appending{true};
  std::atomic<bool> reading{true};
  std::thread appender([&] {
    for (int k = 0; k < kAppends && reading.load(); ++k) {
      auto result =
          log.Append("s", ExpectedRevision::Any(), Events({"a", "b"}));
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok()) break;
    }
    appending = false;
  });
  // Returns at the first bad page, which ends the appends too.
  auto read_pages = [&] {
    for (int reads = 1; appending.load(); ++reads) {
      for (size_t page : {1u, 10u}) {
        const uint64_t head_before = log.HeadPosition();
        auto events = log.ReadStream("s", EventLog::kEndOfStream,
                                     Direction::kBackwards, page);
        const uint64_t head_after = log.HeadPosition();
        ASSERT_TRUE(events.ok()) << events.status();
        if (head_before == 0 && events->empty()) continue;
        ASSERT_FALSE(events->empty())
            << "page of " << page << ", head " << head_before << ".."
            << head_after << ", read " << reads;
        const uint64_t newest = events->front().revision();
        ASSERT_GE(newest + 1, head_before) << "page of " << page;
        ASSERT_LE(events->front().position(), head_after) << "page of " << page;
        ASSERT_EQ(events->size(), std::min<uint64_t>(page, newest + 1))
            << "page of " << page << " from revision " << newest << ", head "
            << head_before << ".." << head_after << ", read " << reads;
        for (size_t i = 0; i < events->size(); ++i) {
          ASSERT_EQ((*events)[i].revision(), newest - i);
        }
      }
    }
  };
  read_pages();
  reading = false;
  appender.join();
}

}  // namespace
}  // namespace coopcraft::storage

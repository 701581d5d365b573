// The EventLog contract writing: expected revisions, retried event ids and the
// limits on what is stored. Runs over every implementation
// (tests/unit/storage/log_implementations.h).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/unit/storage/event_log_contract_fixture.h"
#include "tests/unit/storage/log_implementations.h"
#include "tests/unit/storage/storage_test_util.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using testing::Event;
using testing::Events;
using testing::kId1;
using testing::kId2;
using testing::kId3;
using testing::StatusIs;
using testing::StatusIsWith;

template <typename Logs>
class EventLogWriteTest : public testing::EventLogContractTest<Logs> {};
TYPED_TEST_SUITE(EventLogWriteTest, testing::LogImplementations,
                 testing::LogImplementationNames);

TYPED_TEST(EventLogWriteTest, NoStreamOnExistingStreamIsAbortedWithRevision) {
  this->MustAppend("s", Events({"a", "b"}));
  auto result =
      this->log().Append("s", ExpectedRevision::NoStream(), Events({"c"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), 1u);
}

TYPED_TEST(EventLogWriteTest, StreamExistsOnNewStreamIsAbortedWithNone) {
  auto result =
      this->log().Append("s", ExpectedRevision::StreamExists(), Events({"a"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), std::nullopt);
  EXPECT_TRUE(IsRevisionConflict(result.status()));
}

TYPED_TEST(EventLogWriteTest, StreamExistsOnExistingStreamAppends) {
  this->MustAppend("s", Events({"a"}));
  EXPECT_EQ(
      this->MustAppend("s", Events({"b"}), ExpectedRevision::StreamExists())
          .next_revision,
      2u);
}

TYPED_TEST(EventLogWriteTest, ExactMatchingRevisionAppends) {
  this->MustAppend("s", Events({"a", "b"}));
  AppendResult result =
      this->MustAppend("s", Events({"c"}), ExpectedRevision::Exact(1));
  EXPECT_EQ(result.first_position, 3u);
  EXPECT_EQ(result.next_revision, 3u);
}

TYPED_TEST(EventLogWriteTest, ExactStaleRevisionIsAbortedWithCurrent) {
  this->MustAppend("s", Events({"a", "b", "c"}));
  auto result =
      this->log().Append("s", ExpectedRevision::Exact(0), Events({"d"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), 2u);
  EXPECT_TRUE(IsRevisionConflict(result.status()));
}

TYPED_TEST(EventLogWriteTest, ExactOnMissingStreamIsAbortedWithNone) {
  auto result =
      this->log().Append("s", ExpectedRevision::Exact(0), Events({"a"}));
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(result.status()), std::nullopt);
}

TYPED_TEST(EventLogWriteTest, AbortedAppendWritesNothing) {
  this->MustAppend("s", Events({"a"}));
  EXPECT_FALSE(this->log()
                   .Append("s", ExpectedRevision::NoStream(), Events({"b"}))
                   .ok());
  EXPECT_EQ(this->log().HeadPosition(), 1u);
  EXPECT_EQ(this->log().StreamRevision("s").value(), 0u);
}

TYPED_TEST(EventLogWriteTest, CurrentRevisionOfOtherStatusIsNone) {
  EXPECT_EQ(CurrentRevisionOf(absl::OkStatus()), std::nullopt);
  EXPECT_EQ(CurrentRevisionOf(absl::AbortedError("x")), std::nullopt);
  EXPECT_FALSE(IsRevisionConflict(absl::AbortedError("x")));
}

TYPED_TEST(EventLogWriteTest, RetryReturnsOriginalResultAndWritesNothing) {
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

TYPED_TEST(EventLogWriteTest, RetryIgnoresExpectedRevision) {
  this->MustAppend("s", {Event("a", "t.A", kId1)},
                   ExpectedRevision::NoStream());
  this->MustAppend("s", Events({"later"}));
  AppendResult retry = this->MustAppend("s", {Event("a", "t.A", kId1)},
                                        ExpectedRevision::NoStream());
  EXPECT_EQ(retry.first_position, 1u);
  EXPECT_EQ(retry.next_revision, 1u);
}

TYPED_TEST(EventLogWriteTest, RetryMatchesIdsInAnyCase) {
  this->MustAppend("s", {Event("a", "t.A", kId1)});
  AppendResult retry = this->MustAppend(
      "s", {Event("a", "t.A", "0B7E2C8E-4F3A-4C1D-9E2B-6A5F0D1C2B3A")});
  EXPECT_EQ(retry.first_position, 1u);
  EXPECT_EQ(this->log().HeadPosition(), 1u);
}

TYPED_TEST(EventLogWriteTest, MixedStoredAndNewIdsAreRejected) {
  this->MustAppend("s", {Event("a", "t.A", kId1)});
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(),
                         {Event("a", "t.A", kId1), Event("b", "t.A", kId2)}),
      StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(this->log().HeadPosition(), 1u);
}

TYPED_TEST(EventLogWriteTest, IdStoredInAnotherStreamIsRejected) {
  this->MustAppend("s", {Event("a", "t.A", kId1)});
  EXPECT_THAT(this->log().Append("t", ExpectedRevision::Any(),
                                 {Event("a", "t.A", kId1)}),
              StatusIsWith(absl::StatusCode::kAlreadyExists, "stream s"));
}

TYPED_TEST(EventLogWriteTest, IdsInAnotherOrderAreRejected) {
  this->MustAppend("s", {Event("a", "t.A", kId1), Event("b", "t.A", kId2)});
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(),
                         {Event("b", "t.A", kId2), Event("a", "t.A", kId1)}),
      StatusIs(absl::StatusCode::kAlreadyExists));
}

TYPED_TEST(EventLogWriteTest, SameIdTwiceInOneAppendIsRejected) {
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(),
                         {Event("a", "t.A", kId3), Event("b", "t.A", kId3)}),
      StatusIsWith(absl::StatusCode::kInvalidArgument, "twice"));
}

TYPED_TEST(EventLogWriteTest, MalformedEventIdIsRejected) {
  for (std::string id : {"not-a-uuid", "0b7e2c8e4f3a4c1d9e2b6a5f0d1c2b3a",
                         "0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3g"}) {
    EXPECT_THAT(
        this->log().Append("s", ExpectedRevision::Any(), {Event("a", "t", id)}),
        StatusIsWith(absl::StatusCode::kInvalidArgument, "event_id"))
        << id;
  }
}

TYPED_TEST(EventLogWriteTest, GeneratedIdsAreVersion7Uuids) {
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

TYPED_TEST(EventLogWriteTest, EmptyAppendIsRejected) {
  EXPECT_THAT(this->log().Append("s", ExpectedRevision::Any(), {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TYPED_TEST(EventLogWriteTest, EachLimitIsEnforcedAndNamed) {
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

TYPED_TEST(EventLogWriteTest, MetadataCountsTowardsEventBytes) {
  this->UseLimits({.max_event_bytes = 50});
  NewEvent event = Event("small");
  event.metadata.set_actor(std::string(60, 'a'));
  EXPECT_THAT(
      this->log().Append("s", ExpectedRevision::Any(), {event}),
      StatusIsWith(absl::StatusCode::kInvalidArgument, "max_event_bytes"));
}

TYPED_TEST(EventLogWriteTest, BadStreamIdsAndTypesAreRejected) {
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

TYPED_TEST(EventLogWriteTest, NonUtf8MetadataIsRejected) {
  NewEvent event = Event("1");
  event.metadata.set_causation_id("\xc3\x28");
  EXPECT_THAT(this->log().Append("s", ExpectedRevision::Any(), {event}),
              StatusIsWith(absl::StatusCode::kInvalidArgument,
                           "metadata.causation_id"));
}

}  // namespace
}  // namespace coopcraft::storage

// The EventLog contract for followers: waiting for a position, tail listeners
// and the hash chain. Runs over every implementation
// (tests/unit/storage/log_implementations.h).

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

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
using testing::Events;
using testing::StatusIs;

template <typename Logs>
class EventLogTailTest : public testing::EventLogContractTest<Logs> {};
TYPED_TEST_SUITE(EventLogTailTest, testing::LogImplementations,
                 testing::LogImplementationNames);

TYPED_TEST(EventLogTailTest, WaitForReachedPositionReturnsAtOnce) {
  this->MustAppend("s", Events({"1"}));
  EXPECT_TRUE(this->log().WaitForPosition(1, absl::InfinitePast()).ok());
}

TYPED_TEST(EventLogTailTest, WaitForPositionWakesOnCommit) {
  EventLog& log = this->log();
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(20));
    this->MustAppend("s", Events({"1", "2"}));
  });
  EXPECT_TRUE(log.WaitForPosition(2, absl::Now() + absl::Seconds(30)).ok());
  writer.join();
}

TYPED_TEST(EventLogTailTest, WaitForPositionTimesOut) {
  this->MustAppend("s", Events({"1"}));
  absl::Time start = absl::Now();
  EXPECT_THAT(
      this->log().WaitForPosition(2, absl::Now() + absl::Milliseconds(30)),
      StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(25));
}

TYPED_TEST(EventLogTailTest, TailListenerSeesEveryCommitInOrder) {
  std::vector<uint64_t> heads;
  TailListenerHandle handle = this->log().AddTailListener(
      [&](uint64_t head) { heads.push_back(head); });
  this->MustAppend("s", Events({"1"}));
  this->MustAppend("s", Events({"2", "3"}));
  EXPECT_THAT(heads, ElementsAre(1, 3));
}

TYPED_TEST(EventLogTailTest, ResetTailListenerIsNotCalledAgain) {
  int calls = 0;
  TailListenerHandle handle =
      this->log().AddTailListener([&](uint64_t) { ++calls; });
  this->MustAppend("s", Events({"1"}));
  handle.Reset();
  this->MustAppend("s", Events({"2"}));
  EXPECT_EQ(calls, 1);
}

TYPED_TEST(EventLogTailTest, FailedAppendDoesNotNotify) {
  int calls = 0;
  TailListenerHandle handle =
      this->log().AddTailListener([&](uint64_t) { ++calls; });
  EXPECT_FALSE(
      this->log().Append("s", ExpectedRevision::Exact(4), Events({"1"})).ok());
  EXPECT_EQ(calls, 0);
}

TYPED_TEST(EventLogTailTest, EachRecordLinksToItsPredecessor) {
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

TYPED_TEST(EventLogTailTest, VerifyChainOfASuffixAnchorsOnItsPredecessor) {
  this->MustAppend("a", Events({"1", "2", "3", "4"}));
  auto verification = this->log().VerifyChain(3, 10);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->verified_count, 2u);
  EXPECT_EQ(verification->first_bad_position, std::nullopt);
  EXPECT_EQ(this->log().VerifyChain(9, 10)->verified_count, 0u);
}

TYPED_TEST(EventLogTailTest, VerifyChainHeadIsTheLastRecordOfAnIntactRange) {
  this->MustAppend("a", Events({"1", "2", "3", "4"}));
  std::vector<EventRecord> records = this->MustReadAll();
  auto verification = this->log().VerifyChain(2, 3);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->head_position, 3u);
  EXPECT_EQ(verification->head_hash, records[2].hash());
  verification = this->log().VerifyChain(1, UINT64_MAX);  // clamped
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->head_position, 4u);
  EXPECT_EQ(verification->head_hash, records[3].hash());
}

TYPED_TEST(EventLogTailTest, VerifyChainHeadIsTheLastGoodRecordBeforeABadOne) {
  this->MustAppend("a", Events({"1", "2", "3", "4", "5"}));
  std::vector<EventRecord> records = this->MustReadAll();
  this->FlipPayloadByte(3);
  auto verification = this->log().VerifyChain(1, 5);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->first_bad_position, 3u);
  EXPECT_EQ(verification->verified_count, 2u);
  EXPECT_EQ(verification->head_position, 2u);
  EXPECT_EQ(verification->head_hash, records[1].hash());
}

// The anchor before the range is not checked, so it is not a head.
TYPED_TEST(EventLogTailTest, VerifyChainOfARangeStartingBadHasNoHead) {
  this->MustAppend("a", Events({"1", "2", "3", "4", "5"}));
  this->FlipPayloadByte(3);
  auto verification = this->log().VerifyChain(3, 5);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->first_bad_position, 3u);
  EXPECT_EQ(verification->head_position, 0u);
  EXPECT_EQ(verification->head_hash, "");
}

TYPED_TEST(EventLogTailTest, VerifyChainOfAnEmptyRangeHasNoHead) {
  auto verification = this->log().VerifyChain(1, UINT64_MAX);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->head_position, 0u);
  EXPECT_EQ(verification->head_hash, "");
  this->MustAppend("a", Events({"1", "2"}));
  verification = this->log().VerifyChain(3, 10);  // beyond the head
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->head_position, 0u);
  EXPECT_EQ(verification->head_hash, "");
}

TYPED_TEST(EventLogTailTest, VerifyChainEndsCancelledOnceTheQuestionSaysSo) {
  constexpr uint64_t kRecords = 3 * EventLog::kVerifyChainCancelCheck;
  for (uint64_t appended = 0; appended < kRecords; appended += 1000) {
    std::vector<std::string> payloads(
        std::min<uint64_t>(1000, kRecords - appended), "payload");
    this->MustAppend("a", Events(std::move(payloads)));
  }
  // Asked before the first record and every kVerifyChainCancelCheck after:
  // the second question, after a third of the range, is the last.
  int asked = 0;
  auto verification =
      this->log().VerifyChain(1, kRecords, [&asked] { return ++asked == 2; });
  EXPECT_THAT(verification, StatusIs(absl::StatusCode::kCancelled));
  EXPECT_EQ(asked, 2);

  asked = 0;
  verification = this->log().VerifyChain(1, kRecords, [&asked] {
    ++asked;
    return false;
  });
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->verified_count, kRecords);
  EXPECT_EQ(asked, 3);
}

}  // namespace
}  // namespace coopcraft::storage

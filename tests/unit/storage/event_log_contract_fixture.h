// The fixture of the EventLog contract suites (storage/event_log.h), which
// run over every implementation so that tests written against
// MemoryEventLog hold for the durable log too.
#ifndef COOPCRAFT_TESTS_UNIT_STORAGE_EVENT_LOG_CONTRACT_FIXTURE_H_
#define COOPCRAFT_TESTS_UNIT_STORAGE_EVENT_LOG_CONTRACT_FIXTURE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/unit/storage/log_implementations.h"

namespace coopcraft::storage::testing {

// Event ids for tests that choose their own.
inline constexpr char kId1[] = "0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3a";
inline constexpr char kId2[] = "1c8f3d9f-5a4b-4d2e-8f3c-7b6a1e2d3c4b";
inline constexpr char kId3[] = "2d9a4e0a-6b5c-4e3f-9a4d-8c7b2f3e4d5c";

// A fresh log of the implementation `Logs` makes, with helpers that fail
// the test when a call they expect to succeed does not.
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
  std::vector<coopcraft::v1::EventRecord> MustReadAll(
      ReadAllOptions options = {}) {
    auto result = log().ReadAll(options);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->events
                       : std::vector<coopcraft::v1::EventRecord>();
  }
  std::vector<coopcraft::v1::EventRecord> MustReadStream(
      std::string_view stream, uint64_t from,
      Direction direction = Direction::kForwards, size_t max_count = 100) {
    auto result = log().ReadStream(stream, from, direction, max_count);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : std::vector<coopcraft::v1::EventRecord>();
  }

  // Changes one payload byte of the stored record at `position` behind the
  // log's back; the record still reads, only the hash chain can tell.
  void FlipPayloadByte(uint64_t position) { logs_.FlipPayloadByte(position); }

  Logs logs_;
  std::unique_ptr<EventLog> log_;
};

}  // namespace coopcraft::storage::testing

#endif  // COOPCRAFT_TESTS_UNIT_STORAGE_EVENT_LOG_CONTRACT_FIXTURE_H_

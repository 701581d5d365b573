// The EventLog implementations the contract suites run over, as the type
// parameters of typed tests: each makes fresh logs with given limits and
// can alter a stored record of the last one, for the hash chain's tests.
#ifndef COOPCRAFT_TESTS_UNIT_STORAGE_LOG_IMPLEMENTATIONS_H_
#define COOPCRAFT_TESTS_UNIT_STORAGE_LOG_IMPLEMENTATIONS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/event_record.pb.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "storage/memory_event_log.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/rocksdb_tamper.h"

namespace coopcraft::storage::testing {

// Plays the forger on a MemoryEventLog, whose interface never changes a
// stored record.
class MemoryEventLogPeer {
 public:
  static void FlipPayloadByte(MemoryEventLog& log, uint64_t position) {
    absl::MutexLock lock(&log.mu_);
    ASSERT_LE(position, log.records_.size());
    std::string* payload = log.records_[position - 1].mutable_payload();
    ASSERT_FALSE(payload->empty());
    (*payload)[0] ^= 0x01;
  }
};

// Each Logs type also alters the last log it made: FlipPayloadByte changes
// one payload byte of a stored record, as a forger would, leaving it
// readable so that only the hash chain can tell.
struct MemoryLogs {
  MemoryEventLog* made = nullptr;
  std::unique_ptr<EventLog> Make(const EventLogLimits& limits) {
    auto log = std::make_unique<MemoryEventLog>(limits);
    made = log.get();
    return log;
  }
  void FlipPayloadByte(uint64_t position) {
    MemoryEventLogPeer::FlipPayloadByte(*made, position);
  }
};

// Each log in its own directory under one temporary directory.
struct RocksDbLogs {
  coopcraft::testing::TempDir dir;
  int opened = 0;
  RocksDbEventLog* made = nullptr;
  std::unique_ptr<EventLog> Make(const EventLogLimits& limits) {
    auto log = RocksDbEventLog::Open(
        {.path = absl::StrCat(dir.path(), "/log", opened++), .limits = limits});
    EXPECT_TRUE(log.ok()) << log.status();
    if (!log.ok()) return nullptr;
    made = log->get();
    return *std::move(log);
  }
  // Re-seals the record's CRC, so it still reads.
  void FlipPayloadByte(uint64_t position) {
    TamperDecodedRecord(*made, position,
                        [](coopcraft::v1::EventRecord* record) {
                          ASSERT_FALSE(record->payload().empty());
                          (*record->mutable_payload())[0] ^= 0x01;
                        });
  }
};

using LogImplementations = ::testing::Types<MemoryLogs, RocksDbLogs>;

// Test names: .../Memory and .../RocksDb.
struct LogImplementationNames {
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryLogs> ? "Memory" : "RocksDb";
  }
};

}  // namespace coopcraft::storage::testing

#endif  // COOPCRAFT_TESTS_UNIT_STORAGE_LOG_IMPLEMENTATIONS_H_

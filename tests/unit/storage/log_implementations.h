// The EventLog implementations the contract suites run over, as the type
// parameters of typed tests: each makes fresh logs with given limits.
#ifndef COOPCRAFT_TESTS_UNIT_STORAGE_LOG_IMPLEMENTATIONS_H_
#define COOPCRAFT_TESTS_UNIT_STORAGE_LOG_IMPLEMENTATIONS_H_

#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "storage/memory_event_log.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::storage::testing {

struct MemoryLogs {
  std::unique_ptr<EventLog> Make(const EventLogLimits& limits) {
    return std::make_unique<MemoryEventLog>(limits);
  }
};

// Each log in its own directory under one temporary directory.
struct RocksDbLogs {
  coopcraft::testing::TempDir dir;
  int opened = 0;
  std::unique_ptr<EventLog> Make(const EventLogLimits& limits) {
    auto log = RocksDbEventLog::Open(
        {.path = absl::StrCat(dir.path(), "/log", opened++), .limits = limits});
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *std::move(log) : nullptr;
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

// What only the durable log promises: reopening, corruption detection,
// exclusive use of its directory and read-only mode after a failed write.
#include "storage/rocksdb_event_log.h"

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "storage/event_id.h"
#include "storage/keys.h"
#include "storage/record_hash.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/rocksdb_tamper.h"
#include "tests/unit/storage/storage_test_util.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using testing::Event;
using testing::Events;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::StatusIs;
using testing::StatusIsWith;
using testing::TamperDecodedRecord;
using testing::TamperStoredRecord;

// Fails every WAL sync while `fail` is set, as a full or dying disk would.
class FailingSyncFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FailingSyncFileSystem()
      : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FailingSyncFileSystem"; }

  rocksdb::IOStatus NewWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* file,
      rocksdb::IODebugContext* debug) override {
    return Wrap(name, target()->NewWritableFile(name, options, file, debug),
                file);
  }
  rocksdb::IOStatus ReuseWritableFile(
      const std::string& name, const std::string& old_name,
      const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* file,
      rocksdb::IODebugContext* debug) override {
    return Wrap(
        name, target()->ReuseWritableFile(name, old_name, options, file, debug),
        file);
  }

  std::atomic<bool> fail{false};

 private:
  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file,
         const std::atomic<bool>* fail)
        : FSWritableFileOwnerWrapper(std::move(file)), fail_(fail) {}
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
      if (fail_->load()) return rocksdb::IOStatus::IOError("injected");
      return target()->Sync(options, debug);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* debug) override {
      if (fail_->load()) return rocksdb::IOStatus::IOError("injected");
      return target()->Fsync(options, debug);
    }

   private:
    const std::atomic<bool>* fail_;
  };

  rocksdb::IOStatus Wrap(const std::string& name, rocksdb::IOStatus status,
                         std::unique_ptr<rocksdb::FSWritableFile>* file) {
    if (status.ok() && name.ends_with(".log")) {
      *file = std::make_unique<File>(std::move(*file), &fail);
    }
    return status;
  }
};

class RocksDbEventLogTest : public ::testing::Test {
 protected:
  RocksDbEventLogTest() { Reopen(); }

  void Reopen() {
    log_.reset();
    auto log = RocksDbEventLog::Open({.path = path_});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }
  absl::Status ReopenStatus() {
    log_.reset();
    return RocksDbEventLog::Open({.path = path_}).status();
  }
  AppendResult MustAppend(std::string_view stream,
                          std::vector<NewEvent> events) {
    auto result =
        log_->Append(stream, ExpectedRevision::Any(), std::move(events));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(AppendResult{});
  }
  // Flips one byte inside the payload, which still parses.
  void FlipPayloadByte(uint64_t position) {
    TamperStoredRecord(*log_, position, [](std::string* value) {
      size_t at = value->find("payload-");
      ASSERT_NE(at, std::string::npos);
      (*value)[at] ^= 0x01;
    });
  }
  void AppendFive() {
    for (int i = 1; i <= 5; ++i) {
      MustAppend(i % 2 ? "odd" : "even", Events({absl::StrCat("payload-", i)}));
    }
  }

  coopcraft::testing::TempDir dir_;
  std::string path_ = dir_.path() + "/log";
  std::unique_ptr<RocksDbEventLog> log_;
};

TEST_F(RocksDbEventLogTest, ReopenContinuesAfterLastPositionWithChainIntact) {
  AppendFive();
  Reopen();
  EXPECT_EQ(log_->HeadPosition(), 5u);
  AppendResult next = MustAppend("odd", Events({"payload-6"}));
  EXPECT_EQ(next.first_position, 6u);
  EXPECT_EQ(next.next_revision, 4u);
  auto verification = log_->VerifyChain(1, 100);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->verified_count, 6u);
  EXPECT_EQ(verification->first_bad_position, std::nullopt);
}

TEST_F(RocksDbEventLogTest, RetryAfterReopenReturnsOriginalResult) {
  const std::string id = "7d3f5a1e-2b4c-4d6e-8f0a-1b2c3d4e5f60";
  AppendResult first = MustAppend("s", {Event("payload-1", "t.A", id)});
  Reopen();
  AppendResult retry = MustAppend("s", {Event("payload-1", "t.A", id)});
  EXPECT_EQ(retry.first_position, first.first_position);
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

// Ids are found whether their index entries are still in the memtable or
// already flushed to table files, and an absent one in neither.
TEST_F(RocksDbEventLogTest, EveryEventIdIsFoundInMemoryAndAfterAFlush) {
  constexpr int kBatches = 20;
  constexpr int kPerBatch = 100;
  std::vector<std::string> ids;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<NewEvent> events;
    for (int i = 0; i < kPerBatch; ++i) {
      absl::StatusOr<EventIdBytes> id = GenerateEventId();
      ASSERT_TRUE(id.ok()) << id.status();
      ids.push_back(FormatEventId(*id));
      events.push_back(Event("payload", "t.A", ids.back()));
    }
    MustAppend(absl::StrCat("s-", b), std::move(events));
  }
  auto expect_all_found = [&](std::string_view when) {
    for (size_t i = 0; i < ids.size(); ++i) {
      absl::StatusOr<EventRecord> record = log_->ReadEvent(ids[i]);
      ASSERT_TRUE(record.ok()) << when << " " << ids[i] << record.status();
      EXPECT_EQ(record->position(), i + 1) << when;
    }
    EXPECT_THAT(log_->ReadEvent("00000000-0000-4000-8000-000000000000"),
                StatusIs(absl::StatusCode::kNotFound))
        << when;
  };
  expect_all_found("in the memtable");
  Reopen();  // a clean close flushes the memtables
  expect_all_found("after the flush");
  AppendResult retry = MustAppend("s-7", {Event("payload", "t.A", ids[750])});
  EXPECT_TRUE(retry.deduplicated);
  EXPECT_EQ(retry.first_position, 751u);
  EXPECT_EQ(log_->HeadPosition(), ids.size());
}

TEST_F(RocksDbEventLogTest, ClosingCompletesQueuedAsyncAppendsDurably) {
  constexpr int kAppends = 300;
  std::atomic<int> succeeded{0};
  std::atomic<int> failed{0};
  for (int i = 0; i < kAppends; ++i) {
    log_->AppendAsync(absl::StrCat("s-", i % 7), ExpectedRevision::Any(),
                      Events({absl::StrCat("payload-", i)}),
                      [&](absl::StatusOr<AppendResult> result) {
                        ++(result.ok() ? succeeded : failed);
                      });
  }
  log_.reset();
  EXPECT_EQ(succeeded.load(), kAppends);
  EXPECT_EQ(failed.load(), 0);
  Reopen();
  EXPECT_EQ(log_->HeadPosition(), static_cast<uint64_t>(kAppends));
}

TEST_F(RocksDbEventLogTest, FailedSyncIsReportedToAsyncAppends) {
  log_.reset();
  auto file_system = std::make_shared<FailingSyncFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(file_system);
  auto log = RocksDbEventLog::Open({.path = path_, .env = env.get()});
  ASSERT_TRUE(log.ok()) << log.status();
  file_system->fail = true;
  absl::Notification finished;
  absl::Status outcome;
  (*log)->AppendAsync("s", ExpectedRevision::Any(), Events({"1"}),
                      [&](absl::StatusOr<AppendResult> result) {
                        outcome = result.status();
                        finished.Notify();
                      });
  finished.WaitForNotification();
  EXPECT_THAT(outcome, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ((*log)->HeadPosition(), 0u);
}

TEST_F(RocksDbEventLogTest, SecondOpenOfSameDirFailsNamingTheDir) {
  auto second = RocksDbEventLog::Open({.path = path_});
  EXPECT_THAT(second, StatusIsWith(absl::StatusCode::kFailedPrecondition,
                                   "in use by another process"));
  EXPECT_THAT(std::string(second.status().message()), HasSubstr(path_));
}

// "block" in the path must not pass for RocksDB's lock failure.
TEST_F(RocksDbEventLogTest, OpenUnderAFileIsAnIoErrorEvenWithLockInThePath) {
  const std::string file = dir_.path() + "/blockstore";
  std::ofstream(file) << "not a directory";
  auto log = RocksDbEventLog::Open({.path = file + "/db"});
  EXPECT_THAT(log,
              StatusIsWith(absl::StatusCode::kUnavailable, "Not a directory"));
  EXPECT_THAT(std::string(log.status().message()),
              Not(HasSubstr("in use by another process")));
}

TEST_F(RocksDbEventLogTest, OpenWithoutCreateOnEmptyDirIsNotFound) {
  EXPECT_THAT(RocksDbEventLog::Open({.path = dir_.path() + "/absent",
                                     .create_if_missing = false}),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RocksDbEventLogTest, ExtraColumnFamiliesAreOpenedAndKept) {
  log_.reset();
  auto log = RocksDbEventLog::Open(
      {.path = path_, .extra_column_families = {"projection"}});
  ASSERT_TRUE(log.ok()) << log.status();
  rocksdb::ColumnFamilyHandle* family = (*log)->column_family("projection");
  ASSERT_NE(family, nullptr);
  ASSERT_TRUE((*log)->db()->Put({}, family, "k", "v").ok());
  log->reset();
  Reopen();  // without naming the family: it is opened anyway
  std::string value;
  ASSERT_TRUE(
      log_->db()->Get({}, log_->column_family("projection"), "k", &value).ok());
  EXPECT_EQ(value, "v");
  EXPECT_EQ(log_->column_family("nonexistent"), nullptr);
}

TEST_F(RocksDbEventLogTest, UnknownFormatVersionIsFailedPrecondition) {
  ASSERT_TRUE(log_->db()
                  ->Put({}, log_->column_family(kMetaFamily),
                        std::string(kFormatVersionKey), "99")
                  .ok());
  EXPECT_THAT(ReopenStatus(),
              StatusIsWith(absl::StatusCode::kFailedPrecondition, "99"));
}

TEST_F(RocksDbEventLogTest, VerifyChainNamesAFlippedByte) {
  AppendFive();
  FlipPayloadByte(3);
  auto verification = log_->VerifyChain(1, 5);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->verified_count, 2u);
  EXPECT_EQ(verification->first_bad_position, 3u);
  EXPECT_THAT(verification->problem, HasSubstr("hash does not match"));
}

// The chain of [3, 5] is checked against the stored hash of 2; a record 2
// that fails its checksum leaves nothing to trust, and is what is named.
TEST_F(RocksDbEventLogTest, VerifyChainNamesAnUnreadableAnchorBeforeTheRange) {
  AppendFive();
  FlipPayloadByte(2);
  auto verification = log_->VerifyChain(3, 5);
  ASSERT_TRUE(verification.ok());
  EXPECT_EQ(verification->first_bad_position, 2u);
  EXPECT_EQ(verification->verified_count, 0u);
  EXPECT_EQ(verification->head_position, 0u);
  EXPECT_THAT(verification->problem, HasSubstr("position 2"));
}

TEST_F(RocksDbEventLogTest, ReadAllOverAFlippedByteIsDataLossNamingIt) {
  AppendFive();
  FlipPayloadByte(3);
  EXPECT_THAT(log_->ReadAll({}),
              StatusIsWith(absl::StatusCode::kDataLoss, "position 3"));
  EXPECT_EQ(log_->ReadAll({.max_count = 2})->events.size(), 2u);
}

TEST_F(RocksDbEventLogTest, ReadStreamAndReadEventOverAFlippedByteAreDataLoss) {
  AppendFive();
  std::string id = log_->ReadAll({.from_position = 3})->events[0].event_id();
  FlipPayloadByte(3);
  EXPECT_THAT(log_->ReadStream("odd", 0, Direction::kForwards, 10),
              StatusIsWith(absl::StatusCode::kDataLoss, "position 3"));
  EXPECT_THAT(log_->ReadEvent(id),
              StatusIsWith(absl::StatusCode::kDataLoss, "position 3"));
  EXPECT_TRUE(log_->ReadStream("even", 0, Direction::kForwards, 10).ok());
}

TEST_F(RocksDbEventLogTest, UnparseableRecordIsDataLoss) {
  AppendFive();
  TamperStoredRecord(*log_, 2,
                     [](std::string* value) { *value = "\xff\xff\xff"; });
  EXPECT_THAT(log_->ReadAll({}),
              StatusIsWith(absl::StatusCode::kDataLoss, "position 2"));
  EXPECT_EQ(log_->VerifyChain(1, 5)->first_bad_position, 2u);
}

TEST_F(RocksDbEventLogTest, MissingRecordIsDataLossNotASkip) {
  AppendFive();
  ASSERT_TRUE(
      log_->db()
          ->Delete({}, log_->column_family(kLogFamily), EncodeBigEndian64(4))
          .ok());
  EXPECT_THAT(log_->ReadAll({}),
              StatusIsWith(absl::StatusCode::kDataLoss, "position 4"));
  auto verification = log_->VerifyChain(1, 5);
  EXPECT_EQ(verification->first_bad_position, 4u);
  EXPECT_THAT(verification->problem, HasSubstr("missing"));
}

// A forger who fixes up the record's own hash is caught by the next link.
TEST_F(RocksDbEventLogTest, RehashedForgeryBreaksTheNextLink) {
  AppendFive();
  TamperDecodedRecord(*log_, 2, [](EventRecord* record) {
    record->set_payload("forged");
    SealRecord(record->prev_hash(), record);
  });
  EXPECT_TRUE(log_->ReadAll({}).ok());  // each record is self-consistent
  auto verification = log_->VerifyChain(1, 5);
  EXPECT_EQ(verification->first_bad_position, 3u);
  EXPECT_THAT(verification->problem, HasSubstr("prev_hash"));
}

TEST_F(RocksDbEventLogTest, CorruptTailPreventsOpen) {
  AppendFive();
  FlipPayloadByte(5);
  EXPECT_THAT(ReopenStatus(),
              StatusIsWith(absl::StatusCode::kDataLoss, "position 5"));
}

TEST_F(RocksDbEventLogTest, FailedSyncLeavesNoHoleAndMakesLogReadOnly) {
  log_.reset();
  auto file_system = std::make_shared<FailingSyncFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(file_system);
  auto log = RocksDbEventLog::Open({.path = path_, .env = env.get()});
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->Append("s", ExpectedRevision::Any(), Events({"1"})).ok());

  file_system->fail = true;
  EXPECT_THAT((*log)->Append("s", ExpectedRevision::Any(), Events({"2"})),
              StatusIs(absl::StatusCode::kUnavailable));
  file_system->fail = false;
  EXPECT_THAT((*log)->Append("s", ExpectedRevision::Any(), Events({"3"})),
              StatusIsWith(absl::StatusCode::kUnavailable, "read-only"));
  EXPECT_EQ((*log)->HeadPosition(), 1u);
  EXPECT_EQ((*log)->ReadAll({})->events.size(), 1u);
  log->reset();

  Reopen();  // the unacknowledged event may or may not have survived
  uint64_t head = log_->HeadPosition();
  EXPECT_GE(head, 1u);
  EXPECT_EQ(MustAppend("s", Events({"4"})).first_position, head + 1);
  EXPECT_EQ(log_->VerifyChain(1, head + 1)->verified_count, head + 1);
}

}  // namespace
}  // namespace coopcraft::storage

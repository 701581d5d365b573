// RocksDbEventLog: the durable EventLog. One RocksDB database per data
// directory; layout and hash chain in storage/FORMAT.md.
#ifndef COOPCRAFT_STORAGE_ROCKSDB_EVENT_LOG_H_
#define COOPCRAFT_STORAGE_ROCKSDB_EVENT_LOG_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "storage/commit_notifier.h"
#include "storage/event_log.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
}  // namespace rocksdb

namespace coopcraft::storage {

struct RocksDbEventLogOptions {
  // Data directory. Created when create_if_missing.
  std::string path{};
  EventLogLimits limits{};
  // When false, Open fails with NOT_FOUND if `path` holds no database.
  bool create_if_missing = true;
  // Column families to create or open beside the log's own, for stores
  // that want to live in the same database (e.g. projection checkpoints).
  // Families already in the database are always opened.
  std::vector<std::string> extra_column_families{};
  // Upper bound on payload bytes one commit group carries. A single
  // append larger than this still commits, alone.
  size_t max_group_bytes = 16 << 20;
  // RocksDB environment, for tests that inject file-system faults.
  // nullptr: the default environment. Not owned; must outlive the log.
  rocksdb::Env* env = nullptr;
};

// Appends use group commit: concurrent callers queue up, the one at the
// front validates and writes everyone queued behind it in one synced
// RocksDB write, so N concurrent appends cost about one fsync.
//
// Thread safety: as EventLog. Destroy only when no call is in flight and
// every TailListenerHandle has been reset; the destructor first completes
// asynchronous appends still queued.
//
// After a failed RocksDB write the log turns read-only: every later Append
// returns UNAVAILABLE until the log is reopened. A failed write may or may
// not have reached the WAL, so reusing its positions could fork the chain.
class RocksDbEventLog final : public EventLog {
 public:
  // Opens or creates the log at options.path and checks the tail of the
  // chain (the last record's hash and its link to the one before).
  // Errors: FAILED_PRECONDITION when another process (or another open log
  // in this process) uses the directory, or the format version is unknown;
  // NOT_FOUND when it holds no database and !create_if_missing; DATA_LOSS
  // when the tail of the chain does not verify; UNAVAILABLE/INTERNAL from
  // RocksDB otherwise.
  static absl::StatusOr<std::unique_ptr<RocksDbEventLog>> Open(
      const RocksDbEventLogOptions& options);

  ~RocksDbEventLog() override;

  absl::StatusOr<AppendResult> Append(std::string_view stream,
                                      const ExpectedRevision& expected,
                                      std::vector<NewEvent> events) override;
  // Queued appends are committed by a thread of the log's own (or by a
  // caller of Append leading a group), which then runs `done`.
  void AppendAsync(std::string stream, ExpectedRevision expected,
                   std::vector<NewEvent> events, AppendDone done) override;
  using EventLog::ReadStream;
  absl::StatusOr<std::vector<coopcraft::v1::EventRecord>> ReadStream(
      std::string_view stream, uint64_t from_revision, Direction direction,
      size_t max_count, size_t max_bytes) const override;
  absl::StatusOr<ReadAllResult> ReadAll(
      const ReadAllOptions& options) const override;
  absl::StatusOr<uint64_t> ScanAll(
      const ReadAllOptions& options,
      absl::FunctionRef<absl::Status(const coopcraft::v1::EventRecord&)> visit)
      const override;
  absl::StatusOr<coopcraft::v1::EventRecord> ReadEvent(
      std::string_view event_id) const override;
  // May report a revision whose commit is synced but not yet published to
  // HeadPosition (a window of microseconds); appending against it is safe.
  absl::StatusOr<std::optional<uint64_t>> StreamRevision(
      std::string_view stream) const override;
  uint64_t HeadPosition() const override;
  absl::Status WaitForPosition(uint64_t position,
                               absl::Time deadline) const override;
  TailListenerHandle AddTailListener(
      std::function<void(uint64_t head)> listener) override;
  using EventLog::VerifyChain;
  absl::StatusOr<ChainVerification> VerifyChain(
      uint64_t from, uint64_t to,
      const std::function<bool()>& cancelled) const override;

  // The underlying database, owned by this log. Writes to the log's own
  // families break its invariants; extra families are the caller's.
  rocksdb::DB* db() const { return db_.get(); }
  // Handle of an open column family (the log's own or an extra one);
  // nullptr for an unknown name. Owned by this log.
  rocksdb::ColumnFamilyHandle* column_family(std::string_view name) const;

 private:
  struct Writer;

  RocksDbEventLog(const RocksDbEventLogOptions& options,
                  std::unique_ptr<rocksdb::DB> db,
                  std::vector<rocksdb::ColumnFamilyHandle*> handles);

  absl::Status CheckFormatVersion();
  absl::Status RecoverTail();
  // Commits groups, the first led by `first` (already off the queue), and
  // completes their writers. A caller of Append (leading with its own,
  // synchronous writer) leads one group; the committer thread (leading with
  // an asynchronous one) leads while asynchronous appends are at the front
  // of the queue.
  void Lead(Writer* first);
  // Validates, writes and publishes `group` (the writers at the front of
  // writers_), storing each writer's result. Called by the leader only.
  void CommitGroup(const std::vector<Writer*>& group);
  // The committer thread: leads whenever it is given the turn.
  void RunCommitter();
  bool CommitterHasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(writers_mu_);
  // Waits for every queued append to complete, then ends the committer.
  void StopCommitter();
  absl::StatusOr<coopcraft::v1::EventRecord> ReadRecord(
      uint64_t position) const;
  // The scan behind ReadAll and ScanAll: decodes, checks and filters each
  // record of the range, passing matches to `on_match`, which may consume
  // the record. Returns the next position.
  absl::StatusOr<uint64_t> ScanLog(
      const ReadAllOptions& options,
      absl::FunctionRef<absl::Status(coopcraft::v1::EventRecord&)> on_match)
      const;

  // Constant after construction.
  const EventLogLimits limits_;
  const size_t max_group_bytes_;
  const std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned, all families
  absl::flat_hash_map<std::string, rocksdb::ColumnFamilyHandle*>
      families_by_name_;
  rocksdb::ColumnFamilyHandle* log_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* ids_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* heads_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_cf_ = nullptr;

  // State below is protected by writers_mu_.
  absl::Mutex writers_mu_;
  // An append is leading a group; later appends queue in writers_.
  bool leader_active_ ABSL_GUARDED_BY(writers_mu_) = false;
  // Appends waiting for a group; the leader takes them all, and hands
  // leadership to the front one if more arrived while it committed.
  std::deque<Writer*> writers_ ABSL_GUARDED_BY(writers_mu_);
  // The committer thread is to lead (the front of writers_ is an
  // asynchronous append and nobody else is leading).
  bool committer_turn_ ABSL_GUARDED_BY(writers_mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(writers_mu_) = false;
  std::thread committer_;

  // State below is used only by the current group leader (there is one at a
  // time, and leadership is handed from one to the next), and by Open.
  uint64_t next_position_ = 1;
  std::string last_hash_;
  int64_t last_recorded_at_micros_ = 0;
  // Not OK once a RocksDB write failed: the log is read-only.
  absl::Status write_failure_;
  // Last revision of recently written streams, so that a group's
  // expected-revision checks rarely read stream_heads. Only the leader
  // writes the log, so the cache cannot go stale; it is bounded by clearing.
  absl::flat_hash_map<std::string, uint64_t> stream_head_cache_;

  CommitNotifier notifier_{0};
};

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_ROCKSDB_EVENT_LOG_H_

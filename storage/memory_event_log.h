// MemoryEventLog: the EventLog contract kept in process memory, for tests of
// the layers above. Same validation, idempotency and hash chain as the
// RocksDB log (both use storage/log_rules.h); nothing survives the object.
#ifndef COOPCRAFT_STORAGE_MEMORY_EVENT_LOG_H_
#define COOPCRAFT_STORAGE_MEMORY_EVENT_LOG_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "storage/commit_notifier.h"
#include "storage/event_id.h"
#include "storage/event_log.h"

namespace coopcraft::storage {

namespace testing {
class MemoryEventLogPeer;
}  // namespace testing

// Thread safety: as EventLog. Appends are serialized; reads run in
// parallel with each other. Tail listener handles must be reset before the
// log is destroyed.
class MemoryEventLog final : public EventLog {
 public:
  explicit MemoryEventLog(EventLogLimits limits = {});
  ~MemoryEventLog() override;

  absl::StatusOr<AppendResult> Append(std::string_view stream,
                                      const ExpectedRevision& expected,
                                      std::vector<NewEvent> events) override;
  using EventLog::ReadStream;
  absl::StatusOr<std::vector<coopcraft::v1::EventRecord>> ReadStream(
      std::string_view stream, uint64_t from_revision, Direction direction,
      size_t max_count, size_t max_bytes) const override;
  absl::StatusOr<ReadAllResult> ReadAll(
      const ReadAllOptions& options) const override;
  // Visits the stored records themselves, without copies, a chunk at a
  // time so appends are not held up by a slow visitor.
  absl::StatusOr<uint64_t> ScanAll(
      const ReadAllOptions& options,
      absl::FunctionRef<absl::Status(const coopcraft::v1::EventRecord&)> visit)
      const override;
  absl::StatusOr<coopcraft::v1::EventRecord> ReadEvent(
      std::string_view event_id) const override;
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

 private:
  // Alters stored records behind the log's back, as the contract tests of
  // the hash chain must (tests/unit/storage/log_implementations.h).
  friend class testing::MemoryEventLogPeer;

  // Constant after construction.
  const EventLogLimits limits_;

  // Serializes appends from validation through Publish, so that listeners
  // see heads in order without the read lock being held while they run.
  absl::Mutex commit_mu_ ABSL_ACQUIRED_BEFORE(mu_);

  // State below is protected by mu_.
  mutable absl::Mutex mu_;
  // The record at position p is records_[p - 1]. A deque, because growing
  // it leaves stored records in place: ScanAll visits them outside mu_.
  // A stored record is never modified.
  std::deque<coopcraft::v1::EventRecord> records_ ABSL_GUARDED_BY(mu_);
  // Positions of each stream's events, indexed by revision.
  absl::flat_hash_map<std::string, std::vector<uint64_t>> streams_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<EventIdBytes, uint64_t> positions_by_id_
      ABSL_GUARDED_BY(mu_);
  int64_t last_recorded_at_micros_ ABSL_GUARDED_BY(mu_) = 0;

  CommitNotifier notifier_{0};
};

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_MEMORY_EVENT_LOG_H_

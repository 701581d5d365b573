// EventLog: the system of record. Every layer above reads and writes events
// through this interface only; RocksDbEventLog is the durable default and
// MemoryEventLog serves unit tests of the layers above.
#ifndef COOPCRAFT_STORAGE_EVENT_LOG_H_
#define COOPCRAFT_STORAGE_EVENT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coopcraft/v1/event_record.pb.h"

namespace coopcraft::storage {

// The optimistic-concurrency condition of one Append.
class ExpectedRevision {
 public:
  enum class Kind { kAny, kNoStream, kStreamExists, kExact };

  static ExpectedRevision Any() { return ExpectedRevision(Kind::kAny, 0); }
  static ExpectedRevision NoStream() {
    return ExpectedRevision(Kind::kNoStream, 0);
  }
  static ExpectedRevision StreamExists() {
    return ExpectedRevision(Kind::kStreamExists, 0);
  }
  // The stream's last event must have exactly `revision` (0-based).
  static ExpectedRevision Exact(uint64_t revision) {
    return ExpectedRevision(Kind::kExact, revision);
  }

  Kind kind() const { return kind_; }
  // Meaningful only for kExact.
  uint64_t revision() const { return revision_; }

 private:
  ExpectedRevision(Kind kind, uint64_t revision)
      : kind_(kind), revision_(revision) {}
  Kind kind_;
  uint64_t revision_;
};

// One event to append. The log assigns position, revision, time and hashes.
struct NewEvent {
  // UUID text (8-4-4-4-12 hex, lower or upper case). Empty: the log
  // generates a time-ordered v7 UUID. Ids are unique across the whole log.
  std::string event_id{};
  // Fully qualified payload type, e.g. "coopcraft.v1.CandidateSelected".
  std::string type{};
  // Serialized payload.
  std::string payload{};
  coopcraft::v1::EventMetadata metadata{};
};

// Where an Append landed.
struct AppendResult {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  // Revision the stream's next event will get (last written revision + 1).
  uint64_t next_revision = 0;
  // True when the append was a retry: every event was already stored and
  // nothing was written; the fields above are those of the original.
  bool deduplicated = false;
};

enum class Direction { kForwards, kBackwards };

// Filter and bounds of ReadAll.
struct ReadAllOptions {
  // First global position to consider (1 = start of log).
  uint64_t from_position = 1;
  // At most this many matching events are returned.
  size_t max_count = 1000;
  // At most this many events are scanned (matching or not), so a filter
  // that matches nothing still returns promptly with a resume position.
  size_t max_scan = 100000;
  // When not 0, the scan also ends after the matching event that brings
  // the matched records' serialized size (EventRecord::ByteSizeLong) to
  // this or more; the first match is returned whatever its size. Lets a
  // reader keep a page below a message-size limit.
  size_t max_bytes = 0;
  // Only streams whose id starts with this prefix. Empty: all streams.
  std::string stream_prefix{};
  // Only these event types. Empty: all types.
  std::vector<std::string> event_types{};
};

struct ReadAllResult {
  std::vector<coopcraft::v1::EventRecord> events{};
  // Position to pass as from_position to continue exactly after what was
  // scanned (matching or filtered out). Equal to head + 1 when the scan
  // reached the head.
  uint64_t next_position = 1;
};

// Outcome of VerifyChain over a range.
struct ChainVerification {
  // Number of records whose hash was checked and found good.
  uint64_t verified_count = 0;
  // The first position whose record is missing, unreadable, or whose
  // prev_hash/hash does not match; nullopt when the range is intact. It is
  // from - 1, just outside the range, when a log that checks each record's
  // checksum finds the anchor itself unreadable: its stored hash cannot be
  // trusted to check from against.
  std::optional<uint64_t> first_bad_position{};
  // Why first_bad_position is bad, for humans.
  std::string problem{};
  // The head of the verified range: the position and stored hash of the
  // last record found good, always the first position checked +
  // verified_count - 1. When the range is broken that is the record just
  // before first_bad_position. 0 and empty when no record was found good
  // (an empty range, or one whose first record is bad): the anchor before
  // the range is never reported as its head. What an auditor compares
  // with the last record of an export.
  uint64_t head_position = 0;
  std::string head_hash{};
};

// Hard limits enforced by every implementation; violations are
// INVALID_ARGUMENT with a message naming the limit.
struct EventLogLimits {
  size_t max_events_per_append = 1000;
  size_t max_event_bytes = 1 << 20;   // payload + metadata of one event
  size_t max_append_bytes = 4 << 20;  // all events of one call
  size_t max_stream_id_length = 128;  // [A-Za-z0-9._:-]+
  size_t max_type_length = 256;
};

// Removes a tail listener when destroyed. Movable, not copyable.
class TailListenerHandle {
 public:
  TailListenerHandle() = default;
  explicit TailListenerHandle(std::function<void()> remove)
      : remove_(std::move(remove)) {}
  TailListenerHandle(TailListenerHandle&& other) noexcept
      : remove_(std::move(other.remove_)) {
    other.remove_ = nullptr;
  }
  TailListenerHandle& operator=(TailListenerHandle&& other) noexcept {
    if (this != &other) {
      Reset();
      remove_ = std::move(other.remove_);
      other.remove_ = nullptr;
    }
    return *this;
  }
  TailListenerHandle(const TailListenerHandle&) = delete;
  TailListenerHandle& operator=(const TailListenerHandle&) = delete;
  ~TailListenerHandle() { Reset(); }
  // Unregisters now; after it returns the listener is never called again.
  void Reset() {
    if (remove_) {
      auto remove = std::move(remove_);
      remove_ = nullptr;
      remove();
    }
  }

 private:
  std::function<void()> remove_;
};

// An append-only, totally ordered log of events grouped in streams.
//
// Thread safety: every method may be called concurrently from any thread.
// Positions are 1-based, gap-free and never reused; revisions are 0-based per
// stream. A reader never observes position N+1 before position N is
// readable: reads are bounded by HeadPosition(), which advances only after a
// commit is durable and fully readable.
class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends `events` (at least one) atomically to `stream`, if `expected`
  // holds. Returns only after the events are durable (WAL synced for the
  // RocksDB implementation).
  //
  // Errors:
  //  - INVALID_ARGUMENT: empty list, bad stream id, bad event id, empty or
  //    oversize type, a limit of EventLogLimits exceeded, or the same event
  //    id twice in one call. The message names what is wrong.
  //  - ABORTED: `expected` does not hold. CurrentRevisionOf(status) gives
  //    the stream's current last revision (nullopt: no stream).
  //  - ALREADY_EXISTS: some but not all event ids are already stored, or an
  //    id is stored in another stream.
  //  - DATA_LOSS / INTERNAL / UNAVAILABLE from the storage engine.
  // Idempotency: when every event id is already stored, in this stream, in
  // this order (as one run of consecutive positions), the AppendResult of
  // those positions is returned, marked `deduplicated`, and nothing is
  // written, whatever `expected` says. This holds forever, not in a window.
  // A retry is recognised by its ids alone: payloads are not compared, and
  // the run need not be one whole earlier append (a part of one, or the end
  // of one and the start of the next, is answered the same way). Callers
  // that derive ids from a request id and an index, as the command services
  // do, always retry whole appends.
  virtual absl::StatusOr<AppendResult> Append(std::string_view stream,
                                              const ExpectedRevision& expected,
                                              std::vector<NewEvent> events) = 0;

  // Append without waiting for the commit: `done` is called exactly once
  // with what Append would have returned, only after the events are durable
  // (or the append failed). It runs on the calling thread when the append
  // is refused before it is queued, otherwise on whichever thread commits
  // it, so it must be quick and must not wait on other appends; it may call
  // AppendAsync again. Appends made one after the other commit in that
  // order, so a caller may pipeline appends to a stream with exact
  // expected revisions. The default implementation calls Append and then
  // `done` on the calling thread.
  using AppendDone = absl::AnyInvocable<void(absl::StatusOr<AppendResult>) &&>;
  virtual void AppendAsync(std::string stream, ExpectedRevision expected,
                           std::vector<NewEvent> events, AppendDone done);

  // Up to `max_count` events of `stream` starting at `from_revision`
  // inclusive, in `direction`. Backwards with from_revision =
  // kEndOfStream starts at the last event. When `max_bytes` is not 0 the
  // page also ends after the event that brings the events' serialized size
  // (EventRecord::ByteSizeLong) to max_bytes or more; the first event comes
  // whatever its size. So a reader keeps a page below a message-size limit
  // without first reading max_count large events. A stream that does not
  // exist reads as empty. INVALID_ARGUMENT for a bad stream id or max_count
  // 0; DATA_LOSS (naming the position) if a stored record is corrupt.
  static constexpr uint64_t kEndOfStream = UINT64_MAX;
  virtual absl::StatusOr<std::vector<coopcraft::v1::EventRecord>> ReadStream(
      std::string_view stream, uint64_t from_revision, Direction direction,
      size_t max_count, size_t max_bytes) const = 0;
  // ReadStream without a byte bound. Implementations bring it into scope
  // with `using EventLog::ReadStream;`.
  absl::StatusOr<std::vector<coopcraft::v1::EventRecord>> ReadStream(
      std::string_view stream, uint64_t from_revision, Direction direction,
      size_t max_count) const {
    return ReadStream(stream, from_revision, direction, max_count, 0);
  }

  // Events in global order from options.from_position, filtered. Never
  // returns an event beyond HeadPosition() at the time of the call.
  // INVALID_ARGUMENT when from_position, max_count or max_scan is 0;
  // DATA_LOSS (naming the position) if a record in the scanned range is
  // corrupt or missing.
  virtual absl::StatusOr<ReadAllResult> ReadAll(
      const ReadAllOptions& options) const = 0;

  // ReadAll for bulk readers (projection rebuilds, audit replay): hands each
  // matching event to `visit` instead of collecting copies, which spares
  // one allocation per field and event. The record is valid only during the
  // call. A non-OK status from `visit` stops the scan and is returned;
  // otherwise returns the position to continue from (as
  // ReadAllResult::next_position). The default implementation pages through
  // ReadAll; implementations override it when they can do better.
  virtual absl::StatusOr<uint64_t> ScanAll(
      const ReadAllOptions& options,
      absl::FunctionRef<absl::Status(const coopcraft::v1::EventRecord&)> visit)
      const;

  // The stored event with this id (any case), NOT_FOUND, or
  // INVALID_ARGUMENT when `event_id` is not a UUID.
  virtual absl::StatusOr<coopcraft::v1::EventRecord> ReadEvent(
      std::string_view event_id) const = 0;

  // Revision of the stream's last event; nullopt when the stream has none.
  // The one read not bounded by HeadPosition(): it may count a commit that
  // is durable but not yet published, which an append's revision check
  // needs and which ReadStream does not return yet.
  virtual absl::StatusOr<std::optional<uint64_t>> StreamRevision(
      std::string_view stream) const = 0;

  // Position of the last committed event; 0 for an empty log.
  virtual uint64_t HeadPosition() const = 0;

  // Blocks until HeadPosition() >= position or `deadline` passes
  // (DEADLINE_EXCEEDED). Wakes on commit; does not poll.
  virtual absl::Status WaitForPosition(uint64_t position,
                                       absl::Time deadline) const = 0;

  // Calls `listener(head)` after each commit with the new head position,
  // on the committing thread, in commit order. The listener must be quick,
  // must not append and must not add or remove listeners (it may read);
  // typically it wakes a reader. Destroying the handle unregisters it; the
  // handle must not outlive the log.
  virtual TailListenerHandle AddTailListener(
      std::function<void(uint64_t head)> listener) = 0;

  // Checks the hash chain over [from, to] (to clamped to the head), anchored
  // on the stored hash of from - 1. A broken chain is reported in the
  // result, not as an error; INVALID_ARGUMENT when from is 0. See
  // storage/FORMAT.md for the canonical bytes. `cancelled`, when given, is
  // asked before the first record and every kVerifyChainCancelCheck
  // records after; once it answers true the check ends with CANCELLED, so
  // a caller that went away does not keep a thread walking millions of
  // records. It is asked on the calling thread, possibly while the log
  // holds a read lock, so it must be quick and must not call the log.
  static constexpr uint64_t kVerifyChainCancelCheck = 1024;
  virtual absl::StatusOr<ChainVerification> VerifyChain(
      uint64_t from, uint64_t to,
      const std::function<bool()>& cancelled) const = 0;
  // VerifyChain that cannot be cancelled. Implementations bring it into
  // scope with `using EventLog::VerifyChain;`.
  absl::StatusOr<ChainVerification> VerifyChain(uint64_t from,
                                                uint64_t to) const {
    return VerifyChain(from, to, nullptr);
  }
};

// The current revision an ABORTED Append status carries (as a payload, so it
// survives copies of the status): nullopt when the status carries none or
// the stream did not exist.
std::optional<uint64_t> CurrentRevisionOf(const absl::Status& status);

// True when `status` is Append's ABORTED for an expected revision that did
// not hold (whether or not the stream existed).
bool IsRevisionConflict(const absl::Status& status);

// OK when `stream` is a valid stream id under `limits`: 1 to
// max_stream_id_length characters of [A-Za-z0-9._:-]. Otherwise
// INVALID_ARGUMENT naming the problem.
absl::Status ValidateStreamId(std::string_view stream,
                              const EventLogLimits& limits);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_EVENT_LOG_H_

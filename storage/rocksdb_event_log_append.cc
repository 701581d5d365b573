// RocksDbEventLog's appends: the group commit (see rocksdb_event_log.h).
#include <pthread.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/write_batch.h"
#include "services/base/status_macros.h"
#include "services/base/string_view.h"
#include "storage/event_id.h"
#include "storage/keys.h"
#include "storage/log_rules.h"
#include "storage/record_hash.h"
#include "storage/rocksdb_event_log.h"
#include "storage/rocksdb_log_io.h"
#include "storage/stored_record.h"

namespace coopcraft::storage {
namespace {

// Bound on stream_head_cache_; past it the cache starts over.
constexpr size_t kMaxCachedStreamHeads = 1 << 16;

}  // namespace

using ::coopcraft::v1::EventRecord;

struct RocksDbEventLog::Writer {
  Writer(std::string stream, ExpectedRevision expected,
         std::vector<NewEvent> events, CheckedAppend checked, AppendDone done)
      : stream(std::move(stream)),
        expected(expected),
        events(std::move(events)),
        checked(std::move(checked)),
        done(std::move(done)) {}
  // Waits for a Hand() still running on another thread: a synchronous
  // Writer lives on its caller's stack and is destroyed as soon as Await
  // returns.
  ~Writer() { absl::MutexLock lock(&mu); }

  enum class Turn { kQueued, kLead, kDone };

  // Called by a leader for a synchronous writer: it leads the next group,
  // or its result is final. Each writer has its own lock so that a leader
  // wakes its group in parallel, not as a convoy through writers_mu_.
  void Hand(Turn turn) {
    absl::MutexLock lock(&mu);
    this->turn = turn;
  }
  Turn Await() {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](Turn* turn) { return *turn != Turn::kQueued; }, &turn));
    return turn;
  }

  bool asynchronous() const { return done != nullptr; }

  std::string stream;
  ExpectedRevision expected;
  std::vector<NewEvent> events;
  CheckedAppend checked;
  // Set by AppendAsync: called with the result, after which the leader
  // deletes the writer. Null for a caller waiting in Append.
  AppendDone done;
  // Written by the leader before the writer is completed.
  absl::StatusOr<AppendResult> result = absl::UnknownError("not committed");
  absl::Mutex mu;
  Turn turn ABSL_GUARDED_BY(mu) = Turn::kQueued;
};

absl::StatusOr<AppendResult> RocksDbEventLog::Append(
    std::string_view stream, const ExpectedRevision& expected,
    std::vector<NewEvent> events) {
  ASSIGN_OR_RETURN(CheckedAppend checked, CheckAppend(stream, events, limits_));
  Writer self(std::string(stream), expected, std::move(events),
              std::move(checked), nullptr);

  writers_mu_.Lock();
  const bool lead_now = !leader_active_;
  if (lead_now) {
    leader_active_ = true;
  } else {
    writers_.push_back(&self);
  }
  writers_mu_.Unlock();
  if (!lead_now && self.Await() == Writer::Turn::kDone) {
    return std::move(self.result);
  }
  Lead(&self);
  return std::move(self.result);
}

void RocksDbEventLog::AppendAsync(std::string stream, ExpectedRevision expected,
                                  std::vector<NewEvent> events,
                                  AppendDone done) {
  absl::StatusOr<CheckedAppend> checked = CheckAppend(stream, events, limits_);
  if (!checked.ok()) {
    std::move(done)(checked.status());
    return;
  }
  auto* writer = new Writer(std::move(stream), expected, std::move(events),
                            *std::move(checked), std::move(done));
  absl::MutexLock lock(&writers_mu_);
  writers_.push_back(writer);
  // The caller does not wait, so it cannot lead: the committer thread does.
  if (!leader_active_) {
    leader_active_ = true;
    committer_turn_ = true;
  }
}

void RocksDbEventLog::RunCommitter() {
  pthread_setname_np(pthread_self(), "log-committer");
  while (true) {
    writers_mu_.LockWhen(
        absl::Condition(this, &RocksDbEventLog::CommitterHasWork));
    if (!committer_turn_) {
      writers_mu_.Unlock();
      return;
    }
    committer_turn_ = false;
    Writer* first = writers_.front();
    writers_.pop_front();
    writers_mu_.Unlock();
    Lead(first);
  }
}

bool RocksDbEventLog::CommitterHasWork() const {
  return committer_turn_ || stopping_;
}

void RocksDbEventLog::StopCommitter() {
  // Asynchronous appends still queued are committed first: their callers
  // were promised a result.
  writers_mu_.LockWhen(absl::Condition(
      +[](bool* active) { return !*active; }, &leader_active_));
  stopping_ = true;
  writers_mu_.Unlock();
  if (committer_.joinable()) committer_.join();
}

void RocksDbEventLog::Lead(Writer* first) {
  // The committer is given the lead only with an asynchronous append at the
  // front; a caller of Append leads with its own writer.
  const bool on_committer = first->asynchronous();
  for (Writer* leader = first; leader != nullptr;) {
    // The group: the leader and everyone queued, up to the byte bound.
    // Later arrivals queue and form the group after this one.
    std::vector<Writer*> group = {leader};
    size_t group_bytes = leader->checked.bytes;
    writers_mu_.Lock();
    while (!writers_.empty() &&
           group_bytes + writers_.front()->checked.bytes <= max_group_bytes_) {
      group_bytes += writers_.front()->checked.bytes;
      group.push_back(writers_.front());
      writers_.pop_front();
    }
    writers_mu_.Unlock();

    CommitGroup(group);

    // Hand leadership on before completing the group, so the next group's
    // work overlaps with the wake-ups and callbacks below. A waiting caller
    // at the front leads; queued asynchronous appends are led by the
    // committer thread, which keeps leading while they keep coming (a
    // caller of Append must not be kept for other callers' groups).
    Writer* next_caller = nullptr;
    leader = nullptr;
    writers_mu_.Lock();
    if (writers_.empty()) {
      leader_active_ = false;
    } else if (!writers_.front()->asynchronous()) {
      next_caller = writers_.front();
      writers_.pop_front();
    } else if (on_committer) {
      leader = writers_.front();
      writers_.pop_front();
    } else {
      committer_turn_ = true;
    }
    writers_mu_.Unlock();
    if (next_caller != nullptr) next_caller->Hand(Writer::Turn::kLead);

    for (Writer* writer : group) {
      if (writer->asynchronous()) {
        std::move(writer->done)(std::move(writer->result));
        delete writer;
      } else if (writer != first) {
        writer->Hand(Writer::Turn::kDone);
      }
    }
  }
}

void RocksDbEventLog::CommitGroup(const std::vector<Writer*>& group) {
  if (!write_failure_.ok()) {
    for (Writer* writer : group) writer->result = write_failure_;
    return;
  }
  // One MultiGet finds which ids are already stored, for the whole group.
  size_t id_count = 0;
  for (const Writer* writer : group) id_count += writer->checked.ids.size();
  std::vector<rocksdb::Slice> id_keys;
  id_keys.reserve(id_count);
  for (const Writer* writer : group) {
    for (const EventIdBytes& id : writer->checked.ids) {
      id_keys.push_back(ToSlice(IdKey(id)));
    }
  }
  std::vector<rocksdb::PinnableSlice> id_values(id_count);
  std::vector<rocksdb::Status> id_statuses(id_count);
  db_->MultiGet(rocksdb::ReadOptions(), ids_cf_, id_count, id_keys.data(),
                id_values.data(), id_statuses.data());

  // What this group has done so far, which later writers of the same
  // group must see as if it were stored.
  absl::flat_hash_map<std::string_view, std::optional<uint64_t>> stream_heads;
  absl::flat_hash_map<EventIdBytes, StoredEvent> group_events;
  uint64_t position = next_position_;
  std::string prev_hash = last_hash_;
  const int64_t recorded_at =
      std::max(absl::ToUnixMicros(absl::Now()), last_recorded_at_micros_);
  rocksdb::WriteBatch batch;
  std::string value;

  auto stage = [&](Writer* writer,
                   size_t first_id) -> absl::StatusOr<AppendResult> {
    const std::vector<EventIdBytes>& ids = writer->checked.ids;
    std::vector<std::optional<StoredEvent>> stored(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      if (auto it = group_events.find(ids[i]); it != group_events.end()) {
        stored[i] = it->second;
        continue;
      }
      const rocksdb::Status& status = id_statuses[first_id + i];
      if (status.IsNotFound()) continue;
      RETURN_IF_ERROR(FromRocksDb(status, "looking up an event id"));
      ASSIGN_OR_RETURN(
          uint64_t stored_position,
          DecodePosition(id_values[first_id + i], "event_ids value"));
      ASSIGN_OR_RETURN(EventRecord record, ReadRecord(stored_position));
      stored[i] = StoredEvent{.position = stored_position,
                              .stream = record.stream(),
                              .revision = record.revision()};
    }
    ASSIGN_OR_RETURN(std::optional<AppendResult> retry,
                     ResolveRetry(writer->stream, ids, stored));
    if (retry.has_value()) return *retry;

    auto head_it = stream_heads.find(writer->stream);
    if (head_it == stream_heads.end()) {
      std::optional<uint64_t> stored_head;
      if (auto cached = stream_head_cache_.find(ToAbsl(writer->stream));
          cached != stream_head_cache_.end()) {
        stored_head = cached->second;
      } else {
        ASSIGN_OR_RETURN(stored_head, StreamRevision(writer->stream));
      }
      head_it = stream_heads.emplace(writer->stream, stored_head).first;
    }
    std::optional<uint64_t>& current = head_it->second;
    RETURN_IF_ERROR(
        CheckExpectedRevision(writer->stream, writer->expected, current));

    uint64_t revision = current.has_value() ? *current + 1 : 0;
    AppendResult result{.first_position = position};
    for (size_t i = 0; i < ids.size(); ++i) {
      EventRecord record =
          MakeRecord(position, writer->stream, revision, ids[i],
                     std::move(writer->events[i]), recorded_at);
      SealRecord(prev_hash, &record);
      EncodeStoredRecord(record, &value);
      const std::string position_key = EncodeBigEndian64(position);
      batch.Put(log_cf_, position_key, value);
      batch.Put(streams_cf_, StreamRevisionKey(writer->stream, revision),
                position_key);
      batch.Put(ids_cf_, ToSlice(IdKey(ids[i])), position_key);
      group_events[ids[i]] = StoredEvent{.position = position,
                                         .stream = std::string(writer->stream),
                                         .revision = revision};
      prev_hash = std::move(*record.mutable_hash());
      ++position;
      ++revision;
    }
    current = revision - 1;
    batch.Put(heads_cf_, ToSlice(writer->stream), EncodeBigEndian64(*current));
    result.last_position = position - 1;
    result.next_revision = revision;
    return result;
  };

  size_t first_id = 0;
  for (Writer* writer : group) {
    writer->result = stage(writer, first_id);
    first_id += writer->checked.ids.size();
  }
  if (position == next_position_) return;  // only failures and retries

  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  rocksdb::Status status = db_->Write(write_options, &batch);
  if (!status.ok()) {
    write_failure_ = absl::UnavailableError(absl::StrCat(
        "event log at ", path_, " is read-only after a failed write of ",
        "positions ", next_position_, "..", position - 1, " (",
        status.ToString(), "); reopen it to recover"));
    for (Writer* writer : group) {
      if (writer->result.ok()) writer->result = write_failure_;
    }
    return;
  }
  next_position_ = position;
  last_hash_ = std::move(prev_hash);
  last_recorded_at_micros_ = recorded_at;
  if (stream_head_cache_.size() + stream_heads.size() > kMaxCachedStreamHeads) {
    stream_head_cache_.clear();
  }
  for (const auto& [stream, revision] : stream_heads) {
    if (revision.has_value()) {
      stream_head_cache_[ToAbsl(stream)] = *revision;
    }
  }
  notifier_.Publish(position - 1);
}

}  // namespace coopcraft::storage

// Durable EventLog on RocksDB: group commit, hash chain, recovery and reads.
#include "storage/rocksdb_event_log.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/write_batch.h"
#include "services/base/status_macros.h"
#include "storage/event_id.h"
#include "storage/keys.h"
#include "storage/log_rules.h"
#include "storage/record_hash.h"
#include "storage/rocksdb_tuning.h"
#include "storage/stored_record.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;

// Scans longer than this many positions are replays: they read with
// readahead and without filling the block cache, which would otherwise
// evict the recent blocks that tailing readers share.
constexpr uint64_t kBulkScanPositions = 4096;
constexpr size_t kBulkReadahead = 4 << 20;
// Keys per MultiGet in ReadStream, bounding temporary memory.
constexpr size_t kMultiGetChunk = 256;
// Bound on stream_head_cache_; past it the cache starts over.
constexpr size_t kMaxCachedStreamHeads = 1 << 16;

absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsIOError() || status.IsBusy() || status.IsTryAgain() ||
      status.IsTimedOut() || status.IsIncomplete()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

absl::Status FromOpenError(const rocksdb::Status& status,
                           absl::string_view path) {
  // RocksDB reports its LOCK file held elsewhere as a plain IOError; the
  // word "lock" in it is the only way to tell.
  if (status.IsIOError() &&
      absl::StrContains(absl::AsciiStrToLower(status.ToString()), "lock")) {
    return absl::FailedPreconditionError(absl::StrCat(
        "event log data dir ", path,
        " is in use by another process (or another open event log in this "
        "process); stop it first. RocksDB said: ",
        status.ToString()));
  }
  if (status.IsInvalidArgument() &&
      absl::StrContains(status.ToString(), "does not exist")) {
    return absl::NotFoundError(
        absl::StrCat("no event log in ", path, ": ", status.ToString()));
  }
  return FromRocksDb(status, absl::StrCat("opening event log at ", path));
}

rocksdb::Slice ToSlice(std::string_view bytes) {
  return rocksdb::Slice(bytes.data(), bytes.size());
}

absl::StatusOr<uint64_t> DecodePosition(rocksdb::Slice bytes,
                                        absl::string_view what) {
  std::optional<uint64_t> value =
      DecodeBigEndian64(std::string_view(bytes.data(), bytes.size()));
  if (!value.has_value()) {
    return absl::DataLossError(
        absl::StrCat(what, " is ", bytes.size(), " bytes instead of 8"));
  }
  return *value;
}

absl::Status ParseStoredRecord(rocksdb::Slice value, uint64_t position,
                               EventRecord* record) {
  return DecodeStoredRecord(std::string_view(value.data(), value.size()),
                            position, record);
}

absl::Status MissingRecord(uint64_t position) {
  return absl::DataLossError(
      absl::StrCat("event log record at position ", position, " is missing"));
}

// An iterator over the log family limited to positions [from, last].
class LogRange {
 public:
  LogRange(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, uint64_t from,
           uint64_t last)
      : lower_(EncodeBigEndian64(from)),
        upper_(EncodeBigEndian64(last + 1)),
        upper_slice_(upper_) {
    rocksdb::ReadOptions options;
    options.iterate_upper_bound = &upper_slice_;
    if (last - from >= kBulkScanPositions) {
      options.fill_cache = false;
      options.readahead_size = kBulkReadahead;
    }
    iterator_.reset(db->NewIterator(options, family));
    iterator_->Seek(lower_);
  }
  LogRange(const LogRange&) = delete;
  LogRange& operator=(const LogRange&) = delete;

  rocksdb::Iterator* operator->() { return iterator_.get(); }

 private:
  const std::string lower_;
  const std::string upper_;
  const rocksdb::Slice upper_slice_;  // points into upper_
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

}  // namespace

struct RocksDbEventLog::Writer {
  Writer(std::string_view stream, const ExpectedRevision& expected,
         std::vector<NewEvent>& events, const CheckedAppend& checked)
      : stream(stream),
        expected(&expected),
        events(&events),
        checked(&checked) {}
  // Waits for a Hand() still running on another thread: the Writer lives
  // on its caller's stack and is destroyed as soon as Await returns.
  ~Writer() { absl::MutexLock lock(&mu); }

  enum class Turn { kQueued, kLead, kDone };

  // Called by a leader: the writer leads the next group, or its result is
  // final. Each writer has its own lock so that a leader wakes its group
  // in parallel, not as a convoy through writers_mu_.
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

  std::string_view stream;
  const ExpectedRevision* expected;
  std::vector<NewEvent>* events;
  const CheckedAppend* checked;
  // Written by the leader before Hand(kDone).
  absl::StatusOr<AppendResult> result = absl::UnknownError("not committed");
  absl::Mutex mu;
  Turn turn ABSL_GUARDED_BY(mu) = Turn::kQueued;
};

absl::StatusOr<std::unique_ptr<RocksDbEventLog>> RocksDbEventLog::Open(
    const RocksDbEventLogOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("event log path is empty");
  }
  rocksdb::DBOptions db_options = EventLogDbOptions();
  db_options.create_if_missing = options.create_if_missing;
  if (options.env != nullptr) db_options.env = options.env;

  // RocksDB refuses to open a database without naming all of its families,
  // so open whatever is there plus what we need.
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(db_options, options.path, &names).ok()) {
    names.clear();  // no database yet; DB::Open reports any real problem
  }
  auto require = [&names](std::string_view name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.emplace_back(name);
    }
  };
  require(rocksdb::kDefaultColumnFamilyName);
  for (std::string_view name : {kLogFamily, kStreamsFamily, kEventIdsFamily,
                                kStreamHeadsFamily, kMetaFamily}) {
    require(name);
  }
  for (const std::string& name : options.extra_column_families) require(name);

  std::shared_ptr<rocksdb::Cache> cache = NewEventLogBlockCache();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, EventLogFamilyOptions(name, cache));
  }
  rocksdb::DB* raw_db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.path,
                                             descriptors, &handles, &raw_db);
  if (!status.ok()) return FromOpenError(status, options.path);
  std::unique_ptr<RocksDbEventLog> log(new RocksDbEventLog(
      options, std::unique_ptr<rocksdb::DB>(raw_db), std::move(handles)));
  RETURN_IF_ERROR(log->CheckFormatVersion());
  RETURN_IF_ERROR(log->RecoverTail());
  return log;
}

RocksDbEventLog::RocksDbEventLog(
    const RocksDbEventLogOptions& options, std::unique_ptr<rocksdb::DB> db,
    std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : limits_(options.limits),
      max_group_bytes_(options.max_group_bytes),
      path_(options.path),
      db_(std::move(db)),
      handles_(std::move(handles)),
      last_hash_(ZeroHash()) {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    families_by_name_[handle->GetName()] = handle;
  }
  log_cf_ = families_by_name_.at(ToAbsl(kLogFamily));
  streams_cf_ = families_by_name_.at(ToAbsl(kStreamsFamily));
  ids_cf_ = families_by_name_.at(ToAbsl(kEventIdsFamily));
  heads_cf_ = families_by_name_.at(ToAbsl(kStreamHeadsFamily));
  meta_cf_ = families_by_name_.at(ToAbsl(kMetaFamily));
}

RocksDbEventLog::~RocksDbEventLog() {
  // A clean close writes the memtables out, so the next open need not
  // replay up to max_total_wal_size of write-ahead log before it serves
  // (after a crash that replay still restores every acknowledged event).
  rocksdb::FlushOptions flush;
  flush.wait = true;
  rocksdb::Status flushed = db_->Flush(flush, handles_);
  (void)flushed;  // an unflushed memtable is replayed from the WAL instead
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    rocksdb::Status destroyed = db_->DestroyColumnFamilyHandle(handle);
    (void)destroyed;  // only fails for the default family's handle
  }
  // Every acknowledged write is already synced, so a failed close loses
  // nothing; there is no caller left to tell.
  rocksdb::Status closed = db_->Close();
  (void)closed;
}

rocksdb::ColumnFamilyHandle* RocksDbEventLog::column_family(
    std::string_view name) const {
  auto it = families_by_name_.find(ToAbsl(name));
  return it == families_by_name_.end() ? nullptr : it->second;
}

absl::Status RocksDbEventLog::CheckFormatVersion() {
  std::string version;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_cf_,
                                    ToSlice(kFormatVersionKey), &version);
  if (status.ok()) {
    if (version == kFormatVersion) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("event log at ", path_, " has format version ", version,
                     "; this build reads version ", ToAbsl(kFormatVersion)));
  }
  if (!status.IsNotFound()) {
    return FromRocksDb(status, "reading the event log format version");
  }
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), log_cf_));
  it->SeekToFirst();
  if (it->Valid()) {
    return absl::DataLossError(absl::StrCat(
        "event log at ", path_, " holds records but no format version"));
  }
  RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the event log"));
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  RETURN_IF_ERROR(
      FromRocksDb(db_->Put(write_options, meta_cf_, ToSlice(kFormatVersionKey),
                           ToSlice(kFormatVersion)),
                  "writing the event log format version"));
  // Flushed at once so that this family, never written again, does not pin
  // the first WAL file.
  return FromRocksDb(db_->Flush(rocksdb::FlushOptions(), meta_cf_),
                     "flushing the event log format version");
}

absl::Status RocksDbEventLog::RecoverTail() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), log_cf_));
  it->SeekToLast();
  if (!it->Valid()) return FromRocksDb(it->status(), "reading the event log");
  ASSIGN_OR_RETURN(uint64_t head, DecodePosition(it->key(), "last log key"));
  EventRecord last;
  RETURN_IF_ERROR(ParseStoredRecord(it->value(), head, &last));
  std::string prev_hash(ZeroHash());
  if (head > 1) {
    it->Prev();
    if (!it->Valid()) {
      RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the event log"));
      return MissingRecord(head - 1);
    }
    ASSIGN_OR_RETURN(uint64_t previous_position,
                     DecodePosition(it->key(), "log key"));
    if (previous_position != head - 1) return MissingRecord(head - 1);
    EventRecord previous;
    RETURN_IF_ERROR(ParseStoredRecord(it->value(), head - 1, &previous));
    RETURN_IF_ERROR(CheckStoredRecord(previous, head - 1));
    prev_hash = previous.hash();
  }
  if (std::optional<std::string> problem =
          ChainLinkProblem(last, head, prev_hash)) {
    return absl::DataLossError(absl::StrCat("event log record at position ",
                                            head, " is corrupt: ", *problem));
  }
  next_position_ = head + 1;
  last_hash_ = last.hash();
  last_recorded_at_micros_ = last.recorded_at_micros();
  notifier_.Publish(head);
  return absl::OkStatus();
}

absl::StatusOr<AppendResult> RocksDbEventLog::Append(
    std::string_view stream, const ExpectedRevision& expected,
    std::vector<NewEvent> events) {
  ASSIGN_OR_RETURN(CheckedAppend checked, CheckAppend(stream, events, limits_));
  Writer self(stream, expected, events, checked);

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

  // This writer leads the next group: itself and everyone queued, up to the
  // byte bound. Later arrivals queue and form the group after this one.
  std::vector<Writer*> group = {&self};
  size_t group_bytes = checked.bytes;
  writers_mu_.Lock();
  while (!writers_.empty() &&
         group_bytes + writers_.front()->checked->bytes <= max_group_bytes_) {
    group_bytes += writers_.front()->checked->bytes;
    group.push_back(writers_.front());
    writers_.pop_front();
  }
  writers_mu_.Unlock();

  CommitGroup(group);

  // Hand leadership on first so the next group's work overlaps with the
  // wake-ups below.
  writers_mu_.Lock();
  Writer* next_leader = nullptr;
  if (writers_.empty()) {
    leader_active_ = false;
  } else {
    next_leader = writers_.front();
    writers_.pop_front();
  }
  writers_mu_.Unlock();
  if (next_leader != nullptr) next_leader->Hand(Writer::Turn::kLead);
  for (size_t i = 1; i < group.size(); ++i) group[i]->Hand(Writer::Turn::kDone);
  return std::move(self.result);
}

void RocksDbEventLog::CommitGroup(const std::vector<Writer*>& group) {
  if (!write_failure_.ok()) {
    for (Writer* writer : group) writer->result = write_failure_;
    return;
  }
  // One MultiGet finds which ids are already stored, for the whole group.
  size_t id_count = 0;
  for (const Writer* writer : group) id_count += writer->checked->ids.size();
  std::vector<rocksdb::Slice> id_keys;
  id_keys.reserve(id_count);
  for (const Writer* writer : group) {
    for (const EventIdBytes& id : writer->checked->ids) {
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
    const std::vector<EventIdBytes>& ids = writer->checked->ids;
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
        CheckExpectedRevision(writer->stream, *writer->expected, current));

    uint64_t revision = current.has_value() ? *current + 1 : 0;
    AppendResult result{.first_position = position};
    for (size_t i = 0; i < ids.size(); ++i) {
      EventRecord record =
          MakeRecord(position, writer->stream, revision, ids[i],
                     std::move((*writer->events)[i]), recorded_at);
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
    first_id += writer->checked->ids.size();
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

absl::StatusOr<EventRecord> RocksDbEventLog::ReadRecord(
    uint64_t position) const {
  rocksdb::PinnableSlice value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), log_cf_,
                                    EncodeBigEndian64(position), &value);
  if (status.IsNotFound()) return MissingRecord(position);
  RETURN_IF_ERROR(FromRocksDb(
      status, absl::StrCat("reading event log position ", position)));
  EventRecord record;
  RETURN_IF_ERROR(ParseStoredRecord(value, position, &record));
  return record;
}

absl::StatusOr<std::vector<EventRecord>> RocksDbEventLog::ReadStream(
    std::string_view stream, uint64_t from_revision, Direction direction,
    size_t max_count) const {
  RETURN_IF_ERROR(CheckReadStream(stream, max_count, limits_));
  const uint64_t head = notifier_.head();
  std::vector<EventRecord> events;
  ASSIGN_OR_RETURN(std::optional<uint64_t> last_revision,
                   StreamRevision(stream));
  if (!last_revision.has_value()) return events;

  // Revisions are gap-free up to the stream head, so the keys to read are
  // known in advance and each is a point lookup the bloom filter helps.
  const bool forwards = direction == Direction::kForwards;
  uint64_t start =
      forwards ? from_revision : std::min(from_revision, *last_revision);
  if (forwards && start > *last_revision) return events;
  uint64_t available = forwards ? *last_revision - start + 1 : start + 1;
  uint64_t count = std::min<uint64_t>(max_count, available);
  events.reserve(count);

  std::vector<std::string> keys;
  std::vector<rocksdb::Slice> key_slices;
  std::vector<uint64_t> revisions;
  for (uint64_t done = 0; done < count;) {
    size_t chunk = std::min<uint64_t>(kMultiGetChunk, count - done);
    keys.clear();
    revisions.clear();
    for (size_t i = 0; i < chunk; ++i) {
      uint64_t revision = forwards ? start + done + i : start - done - i;
      revisions.push_back(revision);
      keys.push_back(StreamRevisionKey(stream, revision));
    }
    done += chunk;
    key_slices.assign(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(chunk);
    std::vector<rocksdb::Status> statuses(chunk);
    db_->MultiGet(rocksdb::ReadOptions(), streams_cf_, chunk, key_slices.data(),
                  values.data(), statuses.data());

    // Turn the index entries into log keys, skipping revisions of a commit
    // that is synced but not yet published.
    keys.clear();
    std::vector<uint64_t> positions;
    std::vector<uint64_t> kept_revisions;
    for (size_t i = 0; i < chunk; ++i) {
      if (statuses[i].IsNotFound()) {
        return absl::DataLossError(absl::StrCat(
            "stream ", ToAbsl(stream), " has no index entry for revision ",
            revisions[i], " below its head ", *last_revision));
      }
      RETURN_IF_ERROR(FromRocksDb(statuses[i], "reading the stream index"));
      ASSIGN_OR_RETURN(uint64_t position,
                       DecodePosition(values[i], "stream index value"));
      if (position > head) continue;
      positions.push_back(position);
      kept_revisions.push_back(revisions[i]);
      keys.push_back(EncodeBigEndian64(position));
    }
    key_slices.assign(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> records(keys.size());
    std::vector<rocksdb::Status> record_statuses(keys.size());
    db_->MultiGet(rocksdb::ReadOptions(), log_cf_, keys.size(),
                  key_slices.data(), records.data(), record_statuses.data());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (record_statuses[i].IsNotFound()) return MissingRecord(positions[i]);
      RETURN_IF_ERROR(FromRocksDb(record_statuses[i], "reading the log"));
      EventRecord& record = events.emplace_back();
      RETURN_IF_ERROR(ParseStoredRecord(records[i], positions[i], &record));
      if (record.stream() != stream || record.revision() != kept_revisions[i]) {
        return absl::DataLossError(
            absl::StrCat("index entry of stream ", ToAbsl(stream), " revision ",
                         kept_revisions[i], " points at position ",
                         positions[i], ", which holds another event"));
      }
    }
  }
  return events;
}

absl::StatusOr<uint64_t> RocksDbEventLog::ScanLog(
    const ReadAllOptions& options,
    absl::FunctionRef<absl::Status(EventRecord&)> on_match) const {
  RETURN_IF_ERROR(CheckReadAllOptions(options));
  const uint64_t head = notifier_.head();
  if (options.from_position > head) return options.from_position;
  const uint64_t last = head - options.from_position < options.max_scan
                            ? head
                            : options.from_position + options.max_scan - 1;

  LogRange range(db_.get(), log_cf_, options.from_position, last);
  uint64_t expected = options.from_position;
  size_t matched = 0;
  // One message for the whole scan: parsing into it again reuses its
  // string buffers unless on_match took them.
  EventRecord record;
  for (; range->Valid(); range->Next()) {
    ASSIGN_OR_RETURN(uint64_t position,
                     DecodePosition(range->key(), "log key"));
    if (position != expected) return MissingRecord(expected);
    ++expected;
    RETURN_IF_ERROR(ParseStoredRecord(range->value(), position, &record));
    if (!MatchesReadAllFilter(record, options)) continue;
    RETURN_IF_ERROR(on_match(record));
    if (++matched == options.max_count) break;
  }
  RETURN_IF_ERROR(FromRocksDb(range->status(), "scanning the event log"));
  if (matched < options.max_count && expected != last + 1) {
    return MissingRecord(expected);
  }
  return expected;
}

absl::StatusOr<ReadAllResult> RocksDbEventLog::ReadAll(
    const ReadAllOptions& options) const {
  ReadAllResult result;
  const uint64_t head = notifier_.head();
  if (options.from_position >= 1 && options.from_position <= head) {
    result.events.reserve(
        std::min<uint64_t>({options.max_count, options.max_scan,
                            head - options.from_position + 1}));
  }
  ASSIGN_OR_RETURN(result.next_position,
                   ScanLog(options, [&result](EventRecord& record) {
                     result.events.push_back(std::move(record));
                     return absl::OkStatus();
                   }));
  return result;
}

absl::StatusOr<uint64_t> RocksDbEventLog::ScanAll(
    const ReadAllOptions& options,
    absl::FunctionRef<absl::Status(const EventRecord&)> visit) const {
  return ScanLog(options,
                 [&visit](EventRecord& record) { return visit(record); });
}

absl::StatusOr<EventRecord> RocksDbEventLog::ReadEvent(
    std::string_view event_id) const {
  ASSIGN_OR_RETURN(EventIdBytes id, ParseEventId(event_id));
  const uint64_t head = notifier_.head();
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), ids_cf_, ToSlice(IdKey(id)), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("no event with id ", FormatEventId(id)));
  }
  RETURN_IF_ERROR(FromRocksDb(status, "looking up an event id"));
  ASSIGN_OR_RETURN(uint64_t position, DecodePosition(value, "event_ids value"));
  if (position > head) {
    return absl::NotFoundError(
        absl::StrCat("no event with id ", FormatEventId(id)));
  }
  return ReadRecord(position);
}

absl::StatusOr<std::optional<uint64_t>> RocksDbEventLog::StreamRevision(
    std::string_view stream) const {
  RETURN_IF_ERROR(ValidateStreamId(stream, limits_));
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), heads_cf_, ToSlice(stream), &value);
  if (status.IsNotFound()) return std::optional<uint64_t>();
  RETURN_IF_ERROR(FromRocksDb(status, "reading a stream head"));
  ASSIGN_OR_RETURN(uint64_t revision,
                   DecodePosition(value, "stream_heads value"));
  return std::optional<uint64_t>(revision);
}

uint64_t RocksDbEventLog::HeadPosition() const { return notifier_.head(); }

absl::Status RocksDbEventLog::WaitForPosition(uint64_t position,
                                              absl::Time deadline) const {
  return notifier_.WaitFor(position, deadline);
}

TailListenerHandle RocksDbEventLog::AddTailListener(
    std::function<void(uint64_t head)> listener) {
  return notifier_.AddListener(std::move(listener));
}

absl::StatusOr<ChainVerification> RocksDbEventLog::VerifyChain(
    uint64_t from, uint64_t to) const {
  if (from == 0) {
    return absl::InvalidArgumentError("from is 0; positions start at 1");
  }
  to = std::min(to, notifier_.head());
  ChainVerification verification;
  if (from > to) return verification;
  auto bad = [&verification](uint64_t position, std::string problem) {
    verification.first_bad_position = position;
    verification.problem = std::move(problem);
    return verification;
  };

  // The chain is anchored on the stored hash of the record before `from`.
  std::string prev_hash(ZeroHash());
  if (from > 1) {
    absl::StatusOr<EventRecord> previous = ReadRecord(from - 1);
    if (absl::IsDataLoss(previous.status())) {
      return bad(from - 1, std::string(previous.status().message()));
    }
    RETURN_IF_ERROR(previous.status());
    prev_hash = previous->hash();
  }
  LogRange range(db_.get(), log_cf_, from, to);
  uint64_t expected = from;
  EventRecord record;
  for (; range->Valid(); range->Next()) {
    ASSIGN_OR_RETURN(uint64_t position,
                     DecodePosition(range->key(), "log key"));
    if (position != expected) return bad(expected, "record is missing");
    absl::Status decoded = ParseStoredRecord(range->value(), position, &record);
    if (!decoded.ok()) {
      // Bytes that still parse get the more telling chain diagnosis.
      rocksdb::Slice value = range->value();
      EventRecord loose;
      if (value.size() >= 4 &&
          loose.ParseFromArray(value.data(),
                               static_cast<int>(value.size() - 4))) {
        if (auto problem = ChainLinkProblem(loose, position, prev_hash)) {
          return bad(position, *std::move(problem));
        }
      }
      return bad(position, std::string(decoded.message()));
    }
    if (std::optional<std::string> problem =
            ChainLinkProblem(record, position, prev_hash)) {
      return bad(position, *std::move(problem));
    }
    prev_hash.swap(*record.mutable_hash());
    ++verification.verified_count;
    ++expected;
  }
  RETURN_IF_ERROR(FromRocksDb(range->status(), "scanning the event log"));
  if (expected != to + 1) return bad(expected, "record is missing");
  return verification;
}

}  // namespace coopcraft::storage
